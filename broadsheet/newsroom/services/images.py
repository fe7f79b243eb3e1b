"""Photos with their captions and credits: store, change, delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.models import Image


def _file_check(content: bytes, filename: str) -> None:
    if not content:
        raise ValidationError({"file": "The image file is empty."})
    if not filename.strip():
        raise ValidationError({"file": "The image file needs a name."})


def image_create(
    *,
    content: bytes | None = None,
    filename: str = "",
    caption: str = "",
    second_caption: str = "",
    captions_near_duplicate: bool = False,
    credit: str = "",
    alt_text: str = "",
) -> Image:
    """Store an image with its caption and photo credit; without content, the captions only.

    An imported page's photo is often gone while its captions remain worth keeping.
    """
    if content is not None:
        _file_check(content, filename)
    with transaction.atomic():
        image = Image(
            caption=caption.strip(),
            second_caption=second_caption.strip(),
            captions_near_duplicate=captions_near_duplicate,
            credit=credit.strip(),
            alt_text=alt_text.strip(),
        )
        if content is not None:
            image.file.save(filename, ContentFile(content), save=False)
        image.save()
    return image


def image_update(
    *,
    image: Image,
    content: bytes | None | Unchanged = KEEP,
    filename: str = "",
    caption: str | Unchanged = KEEP,
    second_caption: str | Unchanged = KEEP,
    captions_near_duplicate: bool | Unchanged = KEEP,
    credit: str | Unchanged = KEEP,
    alt_text: str | Unchanged = KEEP,
) -> Image:
    """Change an image's captions, credit or alt text, or replace (None: remove) its file."""
    if isinstance(content, bytes):
        _file_check(content, filename)
    with transaction.atomic():
        stored = Image.objects.select_for_update().get(pk=image.pk)
        if caption is not KEEP:
            stored.caption = caption.strip()
        if second_caption is not KEEP:
            stored.second_caption = second_caption.strip()
        if captions_near_duplicate is not KEEP:
            stored.captions_near_duplicate = captions_near_duplicate
        if credit is not KEEP:
            stored.credit = credit.strip()
        if alt_text is not KEEP:
            stored.alt_text = alt_text.strip()
        if content is None:
            stored.file = None  # type: ignore[assignment]
            stored.width = stored.height = None
        elif isinstance(content, bytes):
            stored.file.save(filename, ContentFile(content), save=False)
        stored.save()
    return stored


def image_delete(*, image: Image) -> None:
    """Delete an image; articles that led with it lose their lead image."""
    with transaction.atomic():
        image.delete()
