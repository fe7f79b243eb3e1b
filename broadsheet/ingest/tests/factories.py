"""Factories for the rows an import meets already in the database."""

import factory

from broadsheet.newsroom.models import Article, Section, Source


class SectionFactory(factory.django.DjangoModelFactory[Section]):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class SourceFactory(factory.django.DjangoModelFactory[Source]):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Wire {n}")
    credit_name = factory.Sequence(lambda n: f"WIRE{n}")


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Local council meets for the {n}th time")
    slug = factory.Sequence(lambda n: f"local-council-meets-{n}")
    body = "The council met."
    status = Article.Status.PUBLISHED
