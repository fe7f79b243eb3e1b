"""Corrections and update notes on an article, shown with their time."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.models import Article, Correction
from broadsheet.newsroom.services._common import require_text


def _kind_check(kind: str) -> str:
    if kind not in Correction.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}: use correction or update."})
    return kind


def _article_touched(article_id: int) -> None:
    # The article's "updated" time tells feeds and caches that the page changed.
    Article.objects.filter(pk=article_id).update(updated_at=timezone.now())


def correction_add(
    *,
    article: Article,
    text: str,
    kind: str = Correction.Kind.CORRECTION,
    noted_at: datetime | None = None,
) -> Correction:
    """Append a correction or update note to the article, shown with its time."""
    text = require_text("text", text, "The correction")
    _kind_check(kind)
    with transaction.atomic():
        correction = Correction.objects.create(
            article=article, kind=kind, text=text, noted_at=noted_at or timezone.now()
        )
        _article_touched(article.pk)
    return correction


def correction_update(
    *,
    correction: Correction,
    text: str | Unchanged = KEEP,
    kind: str | Unchanged = KEEP,
    noted_at: datetime | Unchanged = KEEP,
) -> Correction:
    """Reword a correction, change its kind or the time it is shown with."""
    with transaction.atomic():
        stored = Correction.objects.select_for_update().get(pk=correction.pk)
        if text is not KEEP:
            stored.text = require_text("text", text, "The correction")
        if kind is not KEEP:
            stored.kind = _kind_check(kind)
        if noted_at is not KEEP:
            stored.noted_at = noted_at
        stored.save()
        _article_touched(stored.article_id)
    return stored


def correction_delete(*, correction: Correction) -> None:
    """Remove a correction note from its article."""
    with transaction.atomic():
        correction.delete()
        _article_touched(correction.article_id)
