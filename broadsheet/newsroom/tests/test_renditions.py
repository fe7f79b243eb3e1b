"""Lead-image renditions: made once after commit, exact sizes and formats, in step with the file."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageCms, ImageDraw, features

from broadsheet.newsroom import renditions, services
from broadsheet.newsroom.models import Image, Rendition
from broadsheet.newsroom.renditions import crop_urls

from .factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

FORMATS = ["jpeg"] + [fmt for fmt in ("webp", "avif") if features.check(fmt)]
PIL_NAMES = {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}
GREEN, RED, BLUE, BLACK = (40, 160, 60), (200, 30, 30), (30, 30, 200), (0, 0, 0)


def banded_jpeg(size=(2400, 1600), **save) -> bytes:
    """A photo whose edges a centre crop must drop: red and blue sides, black top and bottom."""
    w, h = size
    picture = PILImage.new("RGB", size, GREEN)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, w // 6 - 1, h), fill=RED)
    draw.rectangle((w - w // 6, 0, w, h), fill=BLUE)
    draw.rectangle((0, 0, w, h * 5 // 64 - 1), fill=BLACK)
    draw.rectangle((0, h - h * 5 // 64, w, h), fill=BLACK)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def stored(image: Image) -> dict[tuple[str, str, int], Rendition]:
    return {(r.crop, r.format, r.width): r for r in Rendition.objects.filter(image=image)}


def media_files(media_root: Path) -> set[str]:
    return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}


def opened(rendition: Rendition) -> PILImage.Image:
    with rendition.file.open("rb") as fh:
        picture = PILImage.open(io.BytesIO(fh.read()))
        picture.load()
    return picture


@pytest.fixture
def make_image(django_capture_on_commit_callbacks):
    """Store an image through the service and run what follows its commit (the task)."""

    def make(content: bytes, filename: str = "harbour.jpg", **fields) -> Image:
        with django_capture_on_commit_callbacks(execute=True):
            image = services.image_create(
                content=content, filename=filename, alt_text="The harbour at dawn.", **fields
            )
        return image

    return make


def test_a_large_photo_gets_every_width_in_every_format_and_three_crops(make_image):
    image = make_image(banded_jpeg((2400, 1600)))

    rows = stored(image)

    widths = [320, 480, 640, 960, 1280, 1600]
    expected = {
        ("original", fmt, w): (w, round(w * 1600 / 2400)) for w in widths for fmt in FORMATS
    }
    expected |= {
        ("16x9", "jpeg", 1200): (1200, 675),
        ("4x3", "jpeg", 1200): (1200, 900),
        ("1x1", "jpeg", 1200): (1200, 1200),
    }
    assert {key: (r.width, r.height) for key, r in rows.items()} == expected
    for (_, fmt, _), rendition in rows.items():
        picture = opened(rendition)
        assert picture.format == PIL_NAMES[fmt]
        assert picture.size == (rendition.width, rendition.height)
        assert picture.mode == "RGB"
        assert rendition.file.name.startswith("renditions/")


def test_formats_pillow_lacks_are_skipped(make_image, monkeypatch):
    monkeypatch.setattr(features, "check", lambda name: name == "webp")

    image = make_image(banded_jpeg((700, 500)))

    assert {r.format for r in Rendition.objects.filter(image=image, crop="original")} == {
        "jpeg",
        "webp",
    }


def test_a_photo_is_never_upscaled_and_keeps_a_copy_at_its_own_width(make_image):
    image = make_image(banded_jpeg((700, 500)))

    rows = stored(image)

    for fmt in FORMATS:
        originals = sorted((k[2], r.height) for k, r in rows.items() if k[:2] == ("original", fmt))
        assert originals == [(320, 229), (480, 343), (640, 457), (700, 500)]
    # Each crop as big as the photo allows, in whole units of its ratio.
    assert {k[0]: (r.width, r.height) for k, r in rows.items() if k[0] != "original"} == {
        "16x9": (688, 387),
        "4x3": (664, 498),
        "1x1": (500, 500),
    }


def test_a_photo_narrower_than_the_ladder_gets_its_own_width_only(make_image):
    image = make_image(banded_jpeg((300, 200)))

    assert sorted({r.width for r in Rendition.objects.filter(image=image, crop="original")}) == [
        300
    ]


def test_crops_have_exact_aspect_ratios_and_are_centred(make_image):
    image = make_image(banded_jpeg((2400, 1600)))
    rows = stored(image)

    square = opened(rows[("1x1", "jpeg", 1200)])
    wide = opened(rows[("16x9", "jpeg", 1200)])

    assert square.size == (1200, 1200) and wide.size == (1200, 675)
    assert opened(rows[("4x3", "jpeg", 1200)]).size == (1200, 900)
    # The square keeps the middle: the red and blue sides are cut off, the black bands stay.
    assert_near(square.getpixel((10, 600)), GREEN)
    assert_near(square.getpixel((1189, 600)), GREEN)
    assert_near(square.getpixel((600, 10)), BLACK)
    # The wide crop keeps the full width and loses the black top and bottom.
    assert_near(wide.getpixel((10, 337)), RED)
    assert_near(wide.getpixel((600, 5)), GREEN)
    assert_near(wide.getpixel((600, 669)), GREEN)


def assert_near(pixel, colour, tolerance=40):
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True)), (pixel, colour)


def test_crop_urls_map_each_crop_to_its_largest_jpeg(make_image):
    image = make_image(banded_jpeg((2400, 1600)))
    rows = stored(image)

    urls = crop_urls(Image.objects.get(pk=image.pk))

    assert urls == {
        "16x9": rows[("16x9", "jpeg", 1200)].file.url,
        "4x3": rows[("4x3", "jpeg", 1200)].file.url,
        "1x1": rows[("1x1", "jpeg", 1200)].file.url,
    }
    assert all(
        url.startswith("/media/renditions/") and url.endswith(".jpg") for url in urls.values()
    )


def test_crop_urls_are_empty_without_renditions():
    assert crop_urls(ImageFactory()) == {}
    assert crop_urls(None) == {}


def test_renditions_are_made_once_and_a_second_run_writes_nothing(make_image, media_root):
    image = make_image(banded_jpeg((1000, 700)))
    before = {name: (media_root / name).stat().st_mtime_ns for name in media_files(media_root)}
    ids = set(Rendition.objects.values_list("pk", flat=True))

    again = services.image_renditions_make(image=image)

    assert again == services.RenditionsMade(made=0)
    assert set(Rendition.objects.values_list("pk", flat=True)) == ids
    after = {name: (media_root / name).stat().st_mtime_ns for name in media_files(media_root)}
    assert after == before


def test_only_missing_renditions_are_made(make_image):
    image = make_image(banded_jpeg((1000, 700)))
    kept = Rendition.objects.exclude(crop="original", format="jpeg", width=480)
    kept_ids = set(kept.values_list("pk", flat=True))
    Rendition.objects.filter(crop="original", format="jpeg", width=480).delete()

    result = services.image_renditions_make(image=image)

    assert result.made == 1
    assert set(
        Rendition.objects.exclude(pk__in=kept_ids).values_list("crop", "format", "width")
    ) == {("original", "jpeg", 480)}


def test_exif_orientation_is_applied_and_metadata_stripped(make_image):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # the camera was turned a quarter: the photo is portrait
    exif[0x010F] = "Harbour Cam"  # Make
    content = banded_jpeg((600, 400), exif=exif.tobytes())

    image = make_image(content)

    rows = stored(image)
    assert sorted({(r.width, r.height) for r in rows.values() if r.crop == "original"}) == [
        (320, 480),
        (400, 600),
    ]
    for rendition in rows.values():
        picture = opened(rendition)
        assert not picture.getexif(), rendition
        assert "icc_profile" not in picture.info and "xmp" not in picture.info


def test_a_colour_profile_is_applied_then_dropped(make_image):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    PILImage.new("RGB", (400, 300), RED).save(out, "JPEG", icc_profile=profile)

    image = make_image(out.getvalue())

    for rendition in stored(image).values():
        picture = opened(rendition)
        assert "icc_profile" not in picture.info
        assert_near(picture.getpixel((200, 150)), RED)


def test_transparent_png_is_flattened_on_white(make_image):
    picture = PILImage.new("RGBA", (400, 300), (0, 0, 0, 0))
    ImageDraw.Draw(picture).rectangle((100, 100, 299, 199), fill=(200, 30, 30, 255))
    out = io.BytesIO()
    picture.save(out, "PNG")

    image = make_image(out.getvalue(), filename="logo.png")

    jpeg = opened(stored(image)[("original", "jpeg", 400)])
    assert jpeg.mode == "RGB"
    assert_near(jpeg.getpixel((10, 10)), (255, 255, 255))
    assert_near(jpeg.getpixel((200, 150)), RED)


def test_cmyk_jpeg_becomes_rgb(make_image):
    out = io.BytesIO()
    PILImage.new("CMYK", (400, 300), (0, 200, 200, 40)).save(out, "JPEG")

    image = make_image(out.getvalue())

    assert opened(stored(image)[("original", "jpeg", 400)]).mode == "RGB"


def test_replacing_the_file_makes_new_renditions_and_removes_the_old_ones(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image(banded_jpeg((1000, 700)))
    old_files = {r.file.name for r in Rendition.objects.filter(image=image)}
    assert old_files and all((media_root / name).exists() for name in old_files)

    with django_capture_on_commit_callbacks(execute=True):
        services.image_update(image=image, content=banded_jpeg((500, 500)), filename="new.jpg")

    assert not any((media_root / name).exists() for name in old_files)
    rows = stored(image)
    assert sorted({k[2] for k in rows if k[0] == "original"}) == [320, 480, 500]
    assert not {r.file.name for r in rows.values()} & old_files
    assert all((media_root / r.file.name).exists() for r in rows.values())


def test_removing_the_file_removes_the_renditions(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image(banded_jpeg((600, 400)))
    old_files = {r.file.name for r in Rendition.objects.filter(image=image)}

    with django_capture_on_commit_callbacks(execute=True):
        services.image_update(image=image, content=None)

    assert not Rendition.objects.filter(image=image).exists()
    assert not any((media_root / name).exists() for name in old_files)


def test_changing_only_the_caption_keeps_the_renditions(
    make_image, django_capture_on_commit_callbacks
):
    image = make_image(banded_jpeg((600, 400)))
    ids = set(Rendition.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.image_update(image=image, caption="A new caption.")

    assert callbacks == []
    assert set(Rendition.objects.values_list("pk", flat=True)) == ids


def test_deleting_the_image_deletes_the_rendition_files(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image(banded_jpeg((600, 400)))
    files = {r.file.name for r in Rendition.objects.filter(image=image)}

    with django_capture_on_commit_callbacks(execute=True):
        services.image_delete(image=image)

    assert Rendition.objects.count() == 0
    assert files and not any((media_root / name).exists() for name in files)


def test_no_renditions_when_the_write_is_rolled_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.image_create(content=banded_jpeg((600, 400)), filename="x.jpg")

    # Queued for after the commit, never inside the request's transaction.
    assert len(callbacks) == 1
    assert Rendition.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"this is not a picture at all", banded_jpeg((600, 400))[:2000]],
    ids=["not-an-image", "truncated"],
)
def test_a_corrupt_file_is_logged_and_the_page_keeps_the_original(
    make_image, client, caplog, content
):
    with caplog.at_level(logging.WARNING, logger="broadsheet.newsroom.services.images"):
        image = make_image(content, filename="broken.jpg")

    assert Rendition.objects.count() == 0
    assert [r.getMessage() for r in caplog.records if "No renditions" in r.getMessage()] != []
    result = services.image_renditions_make(image=image)
    assert result.made == 0 and result.error
    html = client.get(ArticleFactory(lead_image=image).get_absolute_url()).content.decode()
    assert f'<img src="{image.file.url}" alt="The harbour at dawn."' in html
    assert "<picture>" not in html


def test_a_decompression_bomb_is_not_decoded_and_says_why(monkeypatch):
    image = ImageFactory(file=_file(banded_jpeg((600, 400))))
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 150_000)

    result = services.image_renditions_make(image=image)

    assert result == services.RenditionsMade(
        made=0,
        error=(
            "The image (600 x 400 pixels) is larger than the 150,000 pixels allowed, so it is "
            "not decoded: a file that big may be a decompression bomb. Resize it before uploading."
        ),
    )
    assert Rendition.objects.count() == 0
    # Past twice the limit Pillow refuses before telling the size; the reason stays clear.
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 100_000)
    assert services.image_renditions_make(image=image).error.startswith(
        "The image is larger than the 100,000 pixels allowed, so it is not decoded"
    )


def test_uploading_a_decompression_bomb_is_refused_before_anything_is_stored(
    monkeypatch, media_root
):
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 150_000)

    with pytest.raises(ValidationError) as caught:
        services.image_create(content=banded_jpeg((600, 400)), filename="huge.jpg")

    assert caught.value.message_dict["file"][0].startswith(
        "The image (600 x 400 pixels) is larger than the 150,000 pixels allowed"
    )
    assert Image.objects.count() == 0 and media_files(media_root) == set()


def test_a_missing_file_is_reported(make_image, media_root):
    image = make_image(b"not an image")
    (media_root / image.file.name).unlink()

    result = services.image_renditions_make(image=image)

    assert result == services.RenditionsMade(
        made=0, error=f"The image file {image.file.name} is missing from storage."
    )


def test_the_article_shows_a_picture_of_renditions(make_image, client):
    image = make_image(banded_jpeg((2400, 1600)), caption="Dawn.", credit="A. Photographer")
    article = ArticleFactory(lead_image=image)
    rows = stored(image)

    html = client.get(article.get_absolute_url()).content.decode()

    figure = html[html.index('<figure class="story__figure">') : html.index("</figure>")]
    sizes = 'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)"'
    widths = [320, 480, 640, 960, 1280, 1600]

    def srcset(fmt: str) -> str:
        return ", ".join(f"{rows[('original', fmt, w)].file.url} {w}w" for w in widths)

    sources = "".join(
        f'<source type="image/{fmt}" srcset="{srcset(fmt)}" {sizes}>'
        for fmt in ("avif", "webp")
        if fmt in FORMATS
    )
    img = (
        f'<img srcset="{srcset("jpeg")}" {sizes} src="{rows[("original", "jpeg", 1280)].file.url}"'
        ' width="2400" height="1600" alt="The harbour at dawn." fetchpriority="high">'
    )
    assert f"<picture>{sources}{img}</picture>" in figure
    # Caption and credit stay on the image.
    assert '<span class="caption">Dawn.</span>' in figure
    assert '<span class="photo-credit">A. Photographer</span>' in figure


def test_the_article_shows_the_original_until_renditions_exist(client):
    image = ImageFactory()  # stored without the service: no task has run
    article = ArticleFactory(lead_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert (
        f'<img src="{image.file.url}" alt="A lighthouse on a rocky point." fetchpriority="high"'
        ' width="40" height="30">'
    ) in html
    assert "<picture>" not in html and "srcset" not in html


def test_card_images_are_lazy_except_the_lead_card(make_image, client):
    now = timezone.now()
    for hours in (3, 2, 1):
        image = make_image(banded_jpeg((700, 500)))
        ArticleFactory(lead_image=image, published_at=now - timedelta(hours=hours))

    html = client.get("/").content.decode()

    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 3 and html.count("<picture>") == 3
    # The newest story leads the page: its image loads first; the others when scrolled to.
    assert stored(image)[("original", "jpeg", 700)].file.url in imgs[0]
    assert 'fetchpriority="high"' in imgs[0] and 'loading="lazy"' not in imgs[0]
    assert all('loading="lazy"' in img and "fetchpriority" not in img for img in imgs[1:])
    assert all('alt=""' in img for img in imgs)
    lead_sizes = (
        "(min-width: 72rem) 42rem, (min-width: 48rem) calc(60vw - 2rem), calc(100vw - 2rem)"
    )
    card_sizes = (
        "(min-width: 64rem) 25rem, (min-width: 48rem) calc(50vw - 2rem), calc(100vw - 2rem)"
    )
    assert f'sizes="{lead_sizes}"' in imgs[0]
    assert all(f'sizes="{card_sizes}"' in img for img in imgs[1:])


def test_rotated_photo_gets_upright_width_and_height(make_image, client):
    exif = PILImage.Exif()
    exif[0x0112] = 6
    image = make_image(banded_jpeg((600, 400), exif=exif.tobytes()))
    assert (image.width, image.height) == (600, 400)  # the file's own, sideways, size

    html = client.get(ArticleFactory(lead_image=image).get_absolute_url()).content.decode()

    assert ' width="400" height="600" alt="The harbour at dawn."' in html


def test_command_makes_missing_renditions_with_a_dry_run_first(capsys):
    images = [ImageFactory(file=_file(banded_jpeg((700, 500)))) for _ in range(2)]
    Image.objects.create(caption="Words without a photo.")
    per_image = 4 * len(FORMATS) + 3

    call_command("image_renditions", "--dry-run")
    assert capsys.readouterr().out == (
        f"Would make {2 * per_image} renditions for 2 of 2 images; 0 could not be read.\n"
    )
    assert Rendition.objects.count() == 0

    call_command("image_renditions")
    assert capsys.readouterr().out == (
        f"Made {2 * per_image} renditions for 2 of 2 images; 0 could not be read.\n"
    )
    assert all(Rendition.objects.filter(image=i).count() == per_image for i in images)

    call_command("image_renditions")
    assert capsys.readouterr().out == "Made 0 renditions for 0 of 2 images; 0 could not be read.\n"


def test_command_names_the_images_it_cannot_read(capsys):
    bad = ImageFactory(file=_file(b"garbage", name="bad.jpg"))

    call_command("image_renditions")

    captured = capsys.readouterr()
    assert captured.out == "Made 0 renditions for 0 of 1 image; 1 could not be read.\n"
    assert captured.err == (
        f"Cannot render image {bad.pk} ({bad.file.name}): "
        "The file is not an image Pillow can read.\n"
    )


def _file(content: bytes, name: str = "photo.jpg"):
    from django.core.files.base import ContentFile

    return ContentFile(content, name=name)


def test_targets_for_matches_what_is_stored():
    assert renditions.widths_for(2400) == [320, 480, 640, 960, 1280, 1600]
    assert renditions.widths_for(1600) == [320, 480, 640, 960, 1280, 1600]
    assert renditions.widths_for(1000) == [320, 480, 640, 960, 1000]
    assert renditions.widths_for(320) == [320]
    assert renditions.widths_for(40) == [40]


@pytest.mark.parametrize("path", ["/", "article"])
def test_pages_with_renditions_cost_the_same_whatever_they_show(
    make_image, client, django_assert_num_queries, path
):
    def cost(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # an article's discussion thread is made on the first view
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = ArticleFactory(lead_image=make_image(banded_jpeg((330, 200))))
    url = "/" if path == "/" else first.get_absolute_url()
    few = cost(url)
    for _ in range(4):
        ArticleFactory(lead_image=make_image(banded_jpeg((330, 200))))

    assert Rendition.objects.count() == 5 * (2 * len(FORMATS) + 3)
    assert cost(url) == few
