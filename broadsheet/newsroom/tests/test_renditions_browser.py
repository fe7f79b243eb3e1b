"""A reader's browser picks the lead-image rendition that fits its screen, in the best format."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, features

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Rendition

from .factories import ArticleFactory

FORMATS = ["jpeg"] + [fmt for fmt in ("webp", "avif") if features.check(fmt)]
WIDTHS = [320, 480, 640, 960, 1280, 1600]


def harbour_photo(size=(2400, 1600)) -> bytes:
    """A large 'photo': dawn sky, sun and sea, so the screenshots show what was loaded."""
    w, h = size
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    horizon = h * 3 // 5
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (w, y)], fill=(round(40 + 200 * t), round(60 + 120 * t), 150))
    for y in range(horizon, h):
        t = (y - horizon) / (h - horizon)
        draw.line([(0, y), (w, y)], fill=(20, round(70 - 40 * t), round(120 - 50 * t)))
    draw.ellipse((w * 0.6, horizon - 260, w * 0.6 + 360, horizon + 100), fill=(250, 210, 120))
    for i in range(12):
        y = horizon + 40 + i * 50
        draw.line([(w * 0.55, y), (w * 0.85, y)], fill=(240, 190, 110), width=6)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue()


def chosen(page) -> dict:
    """Wait for the lead image, then say which file the browser chose and whether it loaded."""
    img = page.locator("figure.story__figure picture img")
    img.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('figure picture img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    return img.evaluate(
        "i => ({src: i.currentSrc, slot: i.getBoundingClientRect().width,"
        " fetchpriority: i.getAttribute('fetchpriority'), loading: i.getAttribute('loading')})"
    )


def decodes(page, url: str) -> bool:
    """Whether this browser can show an image file (its AVIF or WebP support)."""
    return page.evaluate(
        "url => new Promise(done => { const i = new Image();"
        " i.onload = () => done(i.naturalWidth > 0); i.onerror = () => done(false);"
        " i.src = url; })",
        url,
    )


def fitting_width(slot: float, dpr: float) -> int:
    """The rendition that fits: the narrowest with as many pixels as the slot shows."""
    needed = slot * dpr
    return next((w for w in WIDTHS if w >= needed), WIDTHS[-1])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_loads_the_rendition_that_fits_the_screen(live_server, browser_instance, tmp_path):
    # transaction=True: the image's commit runs the rendition task (immediate in tests).
    image = services.image_create(
        content=harbour_photo(),
        filename="harbour-at-dawn.jpg",
        caption="Fishing boats leave the harbour at dawn.",
        credit="Test Photographer / Test Agency",
        alt_text="Boats on a calm sea under a rising sun.",
    )
    article = ArticleFactory(lead_image=image, headline="The harbour reopens")
    rows = {(r.format, r.width): r for r in Rendition.objects.filter(image=image, crop="original")}
    assert sorted(rows) == sorted((fmt, w) for fmt in FORMATS for w in WIDTHS)
    url = live_server.url + article.get_absolute_url()

    seen = {}
    best = ""
    for name, viewport, dpr, mobile in (
        ("phone-1x", {"width": 390, "height": 844}, 1, False),
        ("phone-2x", {"width": 390, "height": 844}, 2, True),
        ("desktop", {"width": 1280, "height": 900}, 1, False),
    ):
        context = browser_instance.new_context(
            viewport=viewport, device_scale_factor=dpr, is_mobile=mobile, has_touch=mobile
        )
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(url)
            picked = chosen(page)
            best = next(
                fmt
                for fmt in ("avif", "webp", "jpeg")
                if fmt in FORMATS and decodes(page, live_server.url + rows[(fmt, 320)].file.url)
            )
            page.screenshot(path=str(tmp_path / f"article-{name}.png"))
        finally:
            context.close()
        path = urlsplit(picked["src"]).path
        by_url = {r.file.url: key for key, r in rows.items()}
        assert path in by_url, picked
        fmt, width = by_url[path]
        seen[name] = (fmt, width, picked["slot"])
        # The best format this browser decodes: AVIF in today's Chromium.
        assert fmt == best, (name, picked)
        assert width == fitting_width(picked["slot"], dpr), (name, picked)
        # Loaded at once (no lazy loading) and before other images.
        assert picked["fetchpriority"] == "high" and picked["loading"] is None
        assert (tmp_path / f"article-{name}.png").stat().st_size > 10_000

    # The story column is the screen less 1rem each side on a phone (358 px), 42rem on a
    # desktop (672 px): 480w fills a phone at 1x, 960w one at 2x and a desktop column.
    assert seen == {
        "phone-1x": (best, 480, 358),
        "phone-2x": (best, 960, 358),
        "desktop": (best, 960, 672),
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_front_page_cards_load_renditions_lazily(live_server, browser_instance, tmp_path):
    articles = []
    for n in range(4):
        image = services.image_create(
            content=harbour_photo((1200, 800)), filename=f"card-{n}.jpg", alt_text="Boats."
        )
        articles.append(ArticleFactory(lead_image=image, headline=f"Harbour story {n}"))
    context = browser_instance.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.wait_for_function(
            "() => { const i = document.querySelector('.card--lead picture img');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )
        cards = page.locator(".card picture img").evaluate_all(
            "imgs => imgs.map(i => ({src: i.currentSrc, loading: i.getAttribute('loading'),"
            " fetchpriority: i.getAttribute('fetchpriority')}))"
        )
        page.screenshot(path=str(tmp_path / "front-desktop.png"))
    finally:
        context.close()

    assert len(cards) == 4
    assert cards[0]["loading"] is None and cards[0]["fetchpriority"] == "high"
    assert [c["loading"] for c in cards[1:]] == ["lazy"] * 3
    rendition_urls = {r.file.url for r in Rendition.objects.filter(crop="original")}
    assert urlsplit(cards[0]["src"]).path in rendition_urls
