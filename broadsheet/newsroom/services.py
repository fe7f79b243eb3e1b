"""Every write to the newsroom: keyword-only, validated first, one transaction each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

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


def _slug_max(model: type[Article | Section | Tag]) -> int:
    """Return the model's slug length (each model declares its own)."""
    return model._meta.get_field("slug").max_length or 50


@dataclass(frozen=True)
class BylineSpec:
    """One author to put on an article: a staff user, or a written name (with an optional role)."""

    user: Any = None
    name: str = ""
    role: str = ""


def _unique_slug(
    *, base: str, model: type[Article | Section | Tag], exclude_pk: int | None = None
) -> str:
    """Return a slug from `base` that no other row of `model` uses (adds -2, -3 ...)."""
    # Leave room for a "-NNNN" suffix within the model's own slug length.
    root = (slugify(base) or "article")[: _slug_max(model) - 6].strip("-") or "article"
    rows = model.objects.filter(slug__startswith=root)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    taken = set(rows.values_list("slug", flat=True))
    candidate, n = root, 2
    while candidate in taken:
        candidate, n = f"{root}-{n}", n + 1
    return candidate


def _require_text(field: str, value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"{label} cannot be empty."})
    return value


def section_get_or_create(*, name: str) -> Section:
    """Return the section called `name`, creating it with a slug when new."""
    name = _require_text("name", name, "A section name")
    with transaction.atomic():
        section = Section.objects.filter(name__iexact=name).first()
        if section is None:
            section = Section.objects.create(name=name, slug=_unique_slug(base=name, model=Section))
    return section


def tag_get_or_create(*, name: str) -> Tag:
    """Return the tag called `name`, creating it with a slug when new."""
    name = _require_text("name", name, "A tag name")
    with transaction.atomic():
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=_unique_slug(base=name, model=Tag))
    return tag


def source_get_or_create(*, credit_name: str, name: str = "") -> Source:
    """Return the wire source printed as `credit_name` (e.g. "AP"), creating it when new."""
    credit_name = _require_text("credit_name", credit_name, "A source's credit name")
    with transaction.atomic():
        source = Source.objects.filter(credit_name__iexact=credit_name).first()
        if source is None:
            source = Source.objects.create(name=name or credit_name, credit_name=credit_name)
    return source


def image_create(
    *,
    content: bytes,
    filename: str,
    caption: str = "",
    second_caption: str = "",
    captions_near_duplicate: bool = False,
    credit: str = "",
    alt_text: str = "",
) -> Image:
    """Store an image file with its caption and photo credit."""
    if not content:
        raise ValidationError({"file": "The image file is empty."})
    with transaction.atomic():
        image = Image(
            caption=caption.strip(),
            second_caption=second_caption.strip(),
            captions_near_duplicate=captions_near_duplicate,
            credit=credit.strip(),
            alt_text=alt_text.strip(),
        )
        image.file.save(filename, ContentFile(content), save=False)
        image.save()
    return image


def article_create(
    *,
    headline: str,
    body: str = "",
    dek: str = "",
    section: Section | None = None,
    tags: Iterable[Tag] = (),
    bylines: Sequence[BylineSpec] = (),
    sources: Sequence[Source] = (),
    lead_image: Image | None = None,
    slug: str = "",
    comments_enabled: bool = True,
    import_key: str = "",
) -> Article:
    """Create a draft article with its tags, bylines and wire credits."""
    headline = _require_text("headline", headline, "The headline")
    if slug and Article.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The slug {slug!r} is already used by another article."})
    with transaction.atomic():
        article = Article.objects.create(
            headline=headline,
            slug=slug or _unique_slug(base=headline, model=Article),
            dek=dek.strip(),
            body=body,
            section=section,
            lead_image=lead_image,
            comments_enabled=comments_enabled,
            import_key=import_key,
        )
        article.tags.set(list(tags))
        article_bylines_set(article=article, bylines=bylines)
        article_credits_set(article=article, sources=sources)
    return article


def article_bylines_set(*, article: Article, bylines: Sequence[BylineSpec]) -> list[Byline]:
    """Replace the article's bylines with `bylines`, in that order."""
    for spec in bylines:
        if spec.user is None and not spec.name.strip():
            raise ValidationError({"bylines": "A byline needs a staff user or a name."})
    with transaction.atomic():
        article.bylines.all().delete()
        return Byline.objects.bulk_create(
            Byline(
                article=article,
                user=spec.user,
                name=spec.name.strip(),
                role=spec.role.strip(),
                position=i,
            )
            for i, spec in enumerate(bylines)
        )


def article_credits_set(*, article: Article, sources: Sequence[Source]) -> list[Credit]:
    """Replace the article's wire credits with `sources`, in credit-line order."""
    ids = [s.pk for s in sources]
    if len(ids) != len(set(ids)):
        raise ValidationError({"credits": "A source can be credited only once per article."})
    with transaction.atomic():
        article.credits.all().delete()
        return Credit.objects.bulk_create(
            Credit(article=article, source=source, position=i) for i, source in enumerate(sources)
        )


def article_publish(*, article: Article, now: datetime | None = None) -> Article:
    """Publish the article now; an earlier publication time (and so its URL) is kept."""
    now = now or timezone.now()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.published_at is None or article.published_at > now:
            article.published_at = now
        article.status = Article.Status.PUBLISHED
        article.save(update_fields=["status", "published_at", "updated_at"])
    return article


def article_schedule(
    *, article: Article, publish_at: datetime, now: datetime | None = None
) -> Article:
    """Schedule the article to appear at `publish_at`; readers see it from then, no cron."""
    now = now or timezone.now()
    if timezone.is_naive(publish_at):
        raise ValidationError({"published_at": "Give the time with its time zone."})
    if publish_at <= now:
        raise ValidationError(
            {"published_at": "A scheduled time must be in the future; publish it instead."}
        )
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.status = Article.Status.SCHEDULED
        article.published_at = publish_at
        article.save(update_fields=["status", "published_at", "updated_at"])
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take the article down to a draft; its publication time is kept for a later republish."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
    return article


def correction_add(
    *,
    article: Article,
    text: str,
    kind: str = Correction.Kind.CORRECTION,
    noted_at: datetime | None = None,
) -> Correction:
    """Append a correction or update note to the article, shown with its time."""
    text = _require_text("text", text, "The correction")
    if kind not in Correction.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}: use correction or update."})
    with transaction.atomic():
        correction = Correction.objects.create(
            article=article, kind=kind, text=text, noted_at=noted_at or timezone.now()
        )
        # The article's "updated" time tells feeds and caches that the page changed.
        Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    return correction
