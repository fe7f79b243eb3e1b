"""Image renditions: resized, cropped, re-encoded copies of a photo, made once and kept.

A lead image is served as a <picture> of AVIF, WebP and JPEG copies at several widths (never
wider than the original), and three centre crops (16:9, 4:3, 1:1) are kept as JPEG for
structured data. This module is the image work and the reading of stored renditions; the rows
and files are written by newsroom.services.image_renditions_make.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from PIL import ExifTags, ImageCms, ImageOps, UnidentifiedImageError, features
from PIL import Image as PILImage

from broadsheet.newsroom.models import Image, Rendition

# The original-shape ladder: phones at 1x and 2x, tablets, desktop columns at 1x and 2x.
WIDTHS = (320, 480, 640, 960, 1280, 1600)
# Search engines ask for crops at least 1200 px wide for large result images.
CROP_WIDTH = 1200
CROPS = (Rendition.Crop.WIDE, Rendition.Crop.STANDARD, Rendition.Crop.SQUARE)
CROP_RATIOS = {
    Rendition.Crop.WIDE: (16, 9),
    Rendition.Crop.STANDARD: (4, 3),
    Rendition.Crop.SQUARE: (1, 1),
}
# Best first: a <picture> offers AVIF, then WebP, and falls back on JPEG.
MIME_TYPES: dict[str, str] = {
    Rendition.Format.AVIF: "image/avif",
    Rendition.Format.WEBP: "image/webp",
    Rendition.Format.JPEG: "image/jpeg",
}
EXTENSIONS: dict[str, str] = {
    Rendition.Format.JPEG: "jpg",
    Rendition.Format.WEBP: "webp",
    Rendition.Format.AVIF: "avif",
}
_PIL_FORMATS: dict[str, str] = {
    Rendition.Format.JPEG: "JPEG",
    Rendition.Format.WEBP: "WEBP",
    Rendition.Format.AVIF: "AVIF",
}
# Photo quality a reader cannot tell from the original at the size shown. AVIF at speed 8 of 10
# was measured within 2% of the size at the default speed 6, three times faster to encode.
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    Rendition.Format.JPEG: {"quality": 82, "optimize": True, "progressive": True},
    Rendition.Format.WEBP: {"quality": 80, "method": 4},
    Rendition.Format.AVIF: {"quality": 60, "speed": 8},
}
# The fallback <img src> for browsers without srcset: big enough for a desktop column.
_FALLBACK_MAX_WIDTH = 1280
# EXIF orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}


class RenditionError(Exception):
    """An image file that cannot be rendered, with the reason in words."""


class ImageTooLarge(RenditionError):
    """An image with more pixels than Pillow may decode (Image.MAX_IMAGE_PIXELS)."""


@dataclass(frozen=True)
class Target:
    """One rendition to make: crop, format and exact size."""

    crop: str
    format: str
    width: int
    height: int

    @property
    def key(self) -> tuple[str, str, int]:
        """What makes a rendition unique for its image (the table's constraint)."""
        return (self.crop, self.format, self.width)


@dataclass(frozen=True)
class Picture:
    """What a <picture> needs: the fallback src and size, and a srcset per format."""

    src: str
    width: int | None
    height: int | None
    # (MIME type, srcset) for AVIF then WebP: the <source> elements, best first.
    sources: tuple[tuple[str, str], ...] = ()
    # The JPEG srcset of the <img>; empty when no renditions exist yet.
    srcset: str = ""


def formats_available() -> tuple[str, ...]:
    """Return the formats this Pillow can write: JPEG always, WebP and AVIF when built in."""
    found = [Rendition.Format.JPEG.value]
    for fmt in (Rendition.Format.WEBP, Rendition.Format.AVIF):
        if features.check(fmt.value):
            found.append(fmt.value)
    return tuple(found)


def widths_for(width: int) -> list[int]:
    """Return the original-shape widths for an image `width` px wide, never upscaled.

    The ladder's steps below the original, then the original's own width (capped at the
    ladder's top), so a 1000 px photo still has a copy at its full sharpness.
    """
    top = min(width, WIDTHS[-1])
    return [*(w for w in WIDTHS if w < top), top]


def crop_box(width: int, height: int, ratio: tuple[int, int]) -> tuple[float, float, float, float]:
    """Return the largest centred box of `ratio` inside a width x height picture."""
    a, b = ratio
    if width * b > height * a:
        box_w, box_h = height * a / b, float(height)
    else:
        box_w, box_h = float(width), width * b / a
    left, top = (width - box_w) / 2, (height - box_h) / 2
    return (left, top, left + box_w, top + box_h)


def targets_for(width: int, height: int, formats: Iterable[str]) -> list[Target]:
    """Return every rendition an image of this (upright) size should have."""
    formats = tuple(formats)
    found = [
        Target(Rendition.Crop.ORIGINAL.value, fmt, w, max(1, round(height * w / width)))
        for w in widths_for(width)
        for fmt in formats
    ]
    for crop in CROPS:
        a, b = CROP_RATIOS[crop]
        left, _, right, _ = crop_box(width, height, (a, b))
        # A whole multiple of the ratio, so the crop's shape is exact to the pixel.
        units = min(CROP_WIDTH, int(right - left)) // a
        if units:
            found.append(Target(crop.value, Rendition.Format.JPEG.value, units * a, units * b))
    return found


def _open(source: IO[bytes]) -> PILImage.Image:
    """Open an image file, refusing what Pillow cannot read or what is too big to decode."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; the check below refuses those.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            picture = PILImage.open(source)
    except PILImage.DecompressionBombError:
        raise ImageTooLarge(_too_big_message()) from None
    except UnidentifiedImageError:
        raise RenditionError("The file is not an image Pillow can read.") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise RenditionError(f"The image file cannot be read: {exc}.") from None
    limit = PILImage.MAX_IMAGE_PIXELS
    if limit is not None and picture.width * picture.height > limit:
        raise ImageTooLarge(_too_big_message(picture.width, picture.height))
    return picture


def _too_big_message(width: int | None = None, height: int | None = None) -> str:
    limit = PILImage.MAX_IMAGE_PIXELS or 0
    size = f" ({width:,} x {height:,} pixels)" if width and height else ""
    return (
        f"The image{size} is larger than the {limit:,} pixels allowed, so it is not decoded: "
        "a file that big may be a decompression bomb. Resize it before uploading."
    )


def source_size(source: IO[bytes]) -> tuple[int, int]:
    """Return the upright size of an image file, reading only its header."""
    picture = _open(source)
    width, height = picture.size
    try:
        orientation = picture.getexif().get(ExifTags.Base.Orientation)
    except Exception:  # noqa: BLE001 -- broken EXIF is ignored here as exif_transpose ignores it
        orientation = None
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def _srgb(picture: PILImage.Image) -> PILImage.Image:
    """Return the picture as plain sRGB: alpha flattened on white, colour profile applied."""
    icc = picture.info.get("icc_profile")
    if picture.mode == "P":
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    if picture.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = picture.convert("RGBA")
        flat = PILImage.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        picture = flat
    if icc and picture.mode in ("RGB", "CMYK", "L"):
        try:
            converted = ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A broken or mismatched profile: the plain conversion beats no picture at all.
            converted = None
        if converted is not None:
            picture = converted
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    # Strip EXIF, XMP and the profile: encoders copy some of them from here (AVIF does).
    picture.info = {}
    return picture


def render(source: IO[bytes], targets: Sequence[Target]) -> list[tuple[Target, bytes]]:
    """Decode an image file once and encode every target; raise RenditionError if unreadable."""
    picture = _open(source)
    try:
        picture.load()
        # Phones store the sensor's orientation in EXIF: turn the pixels upright once.
        upright = ImageOps.exif_transpose(picture)
        rgb = _srgb(upright)
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise RenditionError(f"The image file is damaged or truncated: {exc}.") from None
    encoded: list[tuple[Target, bytes]] = []
    resized: dict[tuple[str, int], PILImage.Image] = {}
    for target in targets:
        copy = resized.get((target.crop, target.width))
        if copy is None:
            copy = _resize(rgb, target)
            resized[(target.crop, target.width)] = copy
        out = io.BytesIO()
        copy.save(out, _PIL_FORMATS[target.format], **_SAVE_OPTIONS[target.format])
        encoded.append((target, out.getvalue()))
    return encoded


def _resize(rgb: PILImage.Image, target: Target) -> PILImage.Image:
    size = (target.width, target.height)
    if target.crop == Rendition.Crop.ORIGINAL:
        if size == rgb.size:
            return rgb
        box = None
    else:
        box = crop_box(rgb.width, rgb.height, CROP_RATIOS[Rendition.Crop(target.crop)])
    # A reducing gap shrinks big photos in two steps: much faster, indistinguishable result.
    return rgb.resize(size, PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _originals(image: Image) -> dict[str, list[Rendition]]:
    by_format: dict[str, list[Rendition]] = {}
    # .all() so a prefetch of the image's renditions (list and article pages) costs no query.
    for rendition in image.renditions.all():
        if rendition.crop == Rendition.Crop.ORIGINAL:
            by_format.setdefault(rendition.format, []).append(rendition)
    for renditions in by_format.values():
        renditions.sort(key=lambda r: r.width)
    return by_format


def _srcset(renditions: Iterable[Rendition]) -> str:
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def picture(image: Image | None) -> Picture | None:
    """Return what the image's <picture> shows; the original file alone until renditions exist."""
    if image is None or not image.file:
        return None
    by_format = _originals(image)
    jpegs = by_format.get(Rendition.Format.JPEG, [])
    if not jpegs:
        return Picture(src=image.file.url, width=image.width, height=image.height)
    fallback = [r for r in jpegs if r.width <= _FALLBACK_MAX_WIDTH] or jpegs[:1]
    largest = jpegs[-1]
    width, height = image.width, image.height
    if not (width and height):
        width, height = largest.width, largest.height
    elif (width > height) != (largest.width > largest.height):
        # The stored size is the file's; a photo turned upright by its EXIF swaps the two.
        width, height = height, width
    sources = tuple(
        (MIME_TYPES[fmt], _srcset(by_format[fmt]))
        for fmt in (Rendition.Format.AVIF, Rendition.Format.WEBP)
        if by_format.get(fmt)
    )
    return Picture(
        src=fallback[-1].file.url,
        width=width,
        height=height,
        sources=sources,
        srcset=_srcset(jpegs),
    )


def crop_urls(image: Image | None) -> dict[str, str]:
    """Map "16x9", "4x3", "1x1" to the site-relative URL of each crop's largest JPEG."""
    if image is None or image.pk is None:
        return {}
    largest: dict[str, Rendition] = {}
    # .all() so a prefetch of the image's renditions (list and article pages) costs no query.
    for rendition in image.renditions.all():
        if rendition.crop not in CROPS or rendition.format != Rendition.Format.JPEG:
            continue
        best = largest.get(rendition.crop)
        if best is None or rendition.width > best.width:
            largest[rendition.crop] = rendition
    return {str(crop): largest[crop].file.url for crop in CROPS if crop in largest}
