"""A reader opens a demo article in a real browser."""

import pytest
from django.core.management import call_command

from broadsheet.newsroom.models import Article


def console_problems(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_sees_headline_caption_and_credit_line_without_csp_errors(live_server, page):
    call_command("load_demo", verbosity=0)
    article = (
        Article.objects.published()
        .exclude(credits=None)
        .exclude(lead_image=None)
        .order_by("published_at")
        .first()
    )
    problems = console_problems(page)

    page.goto(live_server.url + article.get_absolute_url())

    assert page.locator("h1").first.inner_text() == article.headline
    assert page.locator("figcaption .caption").first.is_visible()
    assert article.lead_image.caption in page.locator("figcaption").inner_text()
    credit = page.locator(".credit-line")
    assert credit.is_visible() and credit.inner_text().upper() == article.credit_line
    assert page.locator("figure img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("nav.share").count() == 2
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_front_page_fits_a_360px_phone(live_server, page):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(live_server.url + "/")

    assert page.locator(".card").count() >= 3
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360
    page.goto(live_server.url + Article.objects.published().first().get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
