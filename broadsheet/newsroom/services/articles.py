"""Articles and what hangs on them: create, change, delete, bylines, wire credits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.models import Article, Byline, Credit, Image, Section, Source, Tag
from broadsheet.newsroom.services._common import (
    require_text,
    slug_check,
    unique_slug,
)
from broadsheet.newsroom.services.authors import author_ensure
from broadsheet.newsroom.services.workflow import embargo_check

HEADLINE_MAX = Article._meta.get_field("headline").max_length or 300


@dataclass(frozen=True)
class BylineSpec:
    """One author to put on an article: a staff user, or a written name (with an optional role)."""

    user: Any = None
    name: str = ""
    role: str = ""


def _import_key_free(import_key: str, *, exclude_pk: int | None = None) -> str:
    rows = Article.objects.filter(import_key=import_key)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    if import_key and rows.exists():
        raise ValidationError({"import_key": "Another article was imported from there."})
    return import_key


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
    original_url: str = "",
    embargo_until: datetime | None = None,
) -> Article:
    """Create a draft article with its tags, bylines and wire credits."""
    headline = require_text("headline", headline, "The headline", limit=HEADLINE_MAX)
    if slug:
        slug = slug_check(slug=slug, model=Article)
    _import_key_free(import_key)
    with transaction.atomic():
        article = Article.objects.create(
            headline=headline,
            slug=slug or unique_slug(base=headline, model=Article),
            dek=dek.strip(),
            body=body,
            section=section,
            lead_image=lead_image,
            comments_enabled=comments_enabled,
            import_key=import_key,
            original_url=original_url.strip(),
            embargo_until=embargo_until,
        )
        article.tags.set(list(tags))
        article_bylines_set(article=article, bylines=bylines)
        article_credits_set(article=article, sources=sources)
    return article


def article_update(
    *,
    article: Article,
    headline: str | Unchanged = KEEP,
    slug: str | Unchanged = KEEP,
    dek: str | Unchanged = KEEP,
    body: str | Unchanged = KEEP,
    status: str | Unchanged = KEEP,
    published_at: datetime | None | Unchanged = KEEP,
    section: Section | None | Unchanged = KEEP,
    tags: Iterable[Tag] | Unchanged = KEEP,
    lead_image: Image | None | Unchanged = KEEP,
    comments_enabled: bool | Unchanged = KEEP,
    import_key: str | Unchanged = KEEP,
    original_url: str | Unchanged = KEEP,
    embargo_until: datetime | None | Unchanged = KEEP,
) -> Article:
    """Change an article's fields; the arguments left out are kept.

    Publishing workflow has its own services (article_publish, article_schedule, ...); status
    and time are accepted here for editors who set both by hand.
    """
    with transaction.atomic():
        stored = Article.objects.select_for_update().get(pk=article.pk)
        if headline is not KEEP:
            stored.headline = require_text("headline", headline, "The headline", limit=HEADLINE_MAX)
        if slug is not KEEP:
            stored.slug = slug_check(slug=slug, model=Article, exclude_pk=stored.pk)
        if dek is not KEEP:
            stored.dek = dek.strip()
        if body is not KEEP:
            stored.body = body
        if status is not KEEP:
            if status not in Article.Status.values:
                raise ValidationError({"status": f"Unknown status {status!r}."})
            stored.status = status
        if published_at is not KEEP:
            if published_at is not None and timezone.is_naive(published_at):
                raise ValidationError({"published_at": "Give the time with its time zone."})
            stored.published_at = published_at
        if section is not KEEP:
            stored.section = section
        if lead_image is not KEEP:
            stored.lead_image = lead_image
        if comments_enabled is not KEEP:
            stored.comments_enabled = comments_enabled
        if import_key is not KEEP:
            stored.import_key = _import_key_free(import_key, exclude_pk=stored.pk)
        if original_url is not KEEP:
            stored.original_url = original_url.strip()
        if embargo_until is not KEEP:
            stored.embargo_until = embargo_until
        embargo_check(stored)
        stored.clean()
        stored.save()
        if tags is not KEEP:
            stored.tags.set(list(tags))
    return stored


def article_delete(*, article: Article) -> None:
    """Delete an article with its bylines, credits and corrections."""
    with transaction.atomic():
        article.delete()


def article_bylines_set(*, article: Article, bylines: Sequence[BylineSpec]) -> list[Byline]:
    """Replace the article's bylines with `bylines`, in that order."""
    for spec in bylines:
        if spec.user is None and not spec.name.strip():
            raise ValidationError({"bylines": "A byline needs a staff user or a name."})
    with transaction.atomic():
        article.bylines.all().delete()
        # A staff writer's byline links to their page, so the page exists from their first story.
        for user in {spec.user for spec in bylines if spec.user is not None and not spec.name}:
            author_ensure(user=user)
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
    """Make the article's wire credits exactly `sources`, in credit-line order.

    Credits already there are kept (only their position changes), so setting the same
    credits again writes nothing.
    """
    ids = [s.pk for s in sources]
    if len(ids) != len(set(ids)):
        raise ValidationError({"credits": "A source can be credited only once per article."})
    with transaction.atomic():
        existing = {c.source_id: c for c in Credit.objects.filter(article=article)}
        Credit.objects.filter(article=article).exclude(source_id__in=ids).delete()
        credits, new = [], []
        for position, source in enumerate(sources):
            credit = existing.get(source.pk)
            if credit is None:
                credit = Credit(article=article, source=source, position=position)
                new.append(credit)
            elif credit.position != position:
                credit.position = position
                credit.save(update_fields=["position"])
            credits.append(credit)
        Credit.objects.bulk_create(new)
    return credits
