"""Factories for newsroom tests."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

# The suite's one user factory (accounts owns User), re-exported for newsroom and ingest tests.
from broadsheet.accounts.tests.factories import UserFactory as UserFactory
from broadsheet.newsroom.models import (
    Article,
    Byline,
    Correction,
    Credit,
    Image,
    Section,
    Source,
    Tag,
)


def jpeg_bytes(size: tuple[int, int] = (40, 30), color: str = "#336699") -> bytes:
    """A small real JPEG."""
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


class SectionFactory(factory.django.DjangoModelFactory[Section]):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class SourceFactory(factory.django.DjangoModelFactory[Source]):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Wire Service {n}")
    credit_name = factory.Sequence(lambda n: f"WIRE{n}")


class ImageFactory(factory.django.DjangoModelFactory[Image]):
    class Meta:
        model = Image

    caption = "A lighthouse keeper checks the lamp before the storm."
    credit = "Test Photographer / Test Agency"
    alt_text = "A lighthouse on a rocky point."
    file = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="test.jpg"))


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    """A published article, live since an hour ago."""

    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Harbour story number {n}")
    slug = factory.Sequence(lambda n: f"harbour-story-{n}")
    dek = "What happened at the harbour."
    body = "The harbour reopened on Monday.\n\nBoats returned by noon."
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    section = factory.SubFactory(SectionFactory)


class BylineFactory(factory.django.DjangoModelFactory[Byline]):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Stringer {n}")


class CreditFactory(factory.django.DjangoModelFactory[Credit]):
    class Meta:
        model = Credit

    article = factory.SubFactory(ArticleFactory)
    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n)


class CorrectionFactory(factory.django.DjangoModelFactory[Correction]):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version misspelled the harbour master's name."
