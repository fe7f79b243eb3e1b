"""Photos with their captions and credits: store, change, delete; their renditions."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from broadsheet.core.effects import after_commit
from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom import renditions
from broadsheet.newsroom.models import Image, Rendition

logger = logging.getLogger(__name__)


def _file_check(content: bytes, filename: str) -> None:
    if not content:
        raise ValidationError({"file": "The image file is empty."})
    if not filename.strip():
        raise ValidationError({"file": "The image file needs a name."})
    try:
        # The header only: a picture too big to decode is refused before anything is stored.
        renditions.source_size(io.BytesIO(content))
    except renditions.ImageTooLarge as exc:
        raise ValidationError({"file": str(exc)}) from None
    except renditions.RenditionError:
        # Anything else unreadable is kept, as imports keep what they found; pages show it as is.
        pass


def _file_store(image: Image, *, filename: str, content: bytes) -> None:
    image.file.save(filename, ContentFile(content), save=False)
    # Django leaves width and height empty after FieldFile.save(); every later load would
    # open the file to measure it again.
    Image._meta.get_field("file").update_dimension_fields(image, force=True)  # type: ignore[attr-defined]


def image_create(
    *,
    content: bytes | None = None,
    filename: str = "",
    caption: str = "",
    second_caption: str = "",
    captions_near_duplicate: bool = False,
    credit: str = "",
    alt_text: str = "",
    original_url: str = "",
    import_key: str = "",
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
            original_url=original_url.strip(),
            import_key=import_key,
        )
        if content is not None:
            _file_store(image, filename=filename, content=content)
        image.save()
        if image.file:
            after_commit(_renditions_queue, image_id=image.pk)
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
    original_url: str | Unchanged = KEEP,
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
        if original_url is not KEEP:
            stored.original_url = original_url.strip()
        if content is None or isinstance(content, bytes):
            # Copies of the old file must not stand in for the new one, not even for a moment.
            _renditions_discard(stored)
        if content is None:
            stored.file = None  # type: ignore[assignment]
            stored.width = stored.height = None
        elif isinstance(content, bytes):
            _file_store(stored, filename=filename, content=content)
            after_commit(_renditions_queue, image_id=stored.pk)
        stored.save()
    return stored


def image_delete(*, image: Image) -> None:
    """Delete an image and its renditions; articles that led with it lose their lead image."""
    with transaction.atomic():
        _renditions_discard(image)
        image.delete()


@dataclass(frozen=True)
class RenditionsMade:
    """What image_renditions_make did: renditions written (or, dry run, missing), or why not."""

    made: int
    error: str = ""


def image_renditions_make(*, image: Image, dry_run: bool = False) -> RenditionsMade:
    """Make the image's missing renditions; none when all exist; the reason when it cannot.

    A file that cannot be decoded (damaged, not an image, too many pixels) is logged and left:
    the pages keep showing the original.
    """
    name = image.file.name if image.file else None
    if not name:
        return RenditionsMade(made=0)
    have = set(Rendition.objects.filter(image=image).values_list("crop", "format", "width"))
    try:
        with image.file.storage.open(name, "rb") as source:
            width, height = renditions.source_size(source)
            wanted = [
                target
                for target in renditions.targets_for(width, height, renditions.formats_available())
                if target.key not in have
            ]
            if dry_run or not wanted:
                return RenditionsMade(made=len(wanted))
            source.seek(0)
            encoded = renditions.render(source, wanted)
    except FileNotFoundError:
        error = f"The image file {name} is missing from storage."
    except renditions.RenditionError as exc:
        error = str(exc)
    else:
        return _renditions_store(image_id=image.pk, source_name=name, encoded=encoded)
    logger.warning("No renditions for image %s (%s): %s", image.pk, name, error)
    return RenditionsMade(made=0, error=error)


def _renditions_store(
    *, image_id: int, source_name: str, encoded: Sequence[tuple[renditions.Target, bytes]]
) -> RenditionsMade:
    storage = Rendition._meta.get_field("file").storage  # type: ignore[attr-defined]
    written: list[str] = []
    try:
        with transaction.atomic():
            image = Image.objects.select_for_update().filter(pk=image_id).first()
            if image is None or image.file.name != source_name:
                # Replaced or deleted while it was rendered: the new file has its own task.
                return RenditionsMade(made=0)
            # Read again under the lock: another worker may have made some meanwhile.
            have = set(Rendition.objects.filter(image=image).values_list("crop", "format", "width"))
            rows = []
            for target, data in encoded:
                if target.key in have:
                    continue
                rendition = Rendition(
                    image=image,
                    crop=target.crop,
                    format=target.format,
                    width=target.width,
                    height=target.height,
                )
                rendition.file.save(
                    _rendition_filename(source_name, target), ContentFile(data), save=False
                )
                written.append(str(rendition.file.name))
                rows.append(rendition)
            Rendition.objects.bulk_create(rows)
    except BaseException:
        # Nothing half-written: files of rows that were never committed go too.
        for written_name in written:
            storage.delete(written_name)
        raise
    return RenditionsMade(made=len(rows))


def _rendition_filename(source_name: str, target: renditions.Target) -> str:
    # The source's name is hashed in, so a replaced photo's copies never reuse a cached URL.
    path = PurePosixPath(source_name)
    stem = slugify(path.stem)[:32].strip("-") or "image"
    digest = hashlib.blake2s(source_name.encode(), digest_size=4).hexdigest()
    extension = renditions.EXTENSIONS[target.format]
    return f"{stem}-{digest}-{target.crop}-{target.width}w.{extension}"


def _renditions_discard(image: Image) -> None:
    """Delete the image's rendition rows now and their files once the change is committed."""
    rows = Rendition.objects.filter(image=image)
    names = [name for name in rows.values_list("file", flat=True) if name]
    rows.delete()
    if names:
        after_commit(_rendition_files_delete, names=names)


def _rendition_files_delete(*, names: list[str]) -> None:
    storage = Rendition._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


def _renditions_queue(*, image_id: int) -> None:
    from broadsheet.newsroom.tasks import image_renditions_task

    image_renditions_task.enqueue(image_id=image_id)
