"""A reader shares an article in a real browser: copy the link, each network, Mastodon's server.

Nothing leaves this machine: every request for another site is answered by a stub in the browser.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from broadsheet.newsroom.tests.factories import ArticleFactory

HEADLINE = "Tides & storms: what’s next?"
NETWORKS = ("x", "facebook", "linkedin", "whatsapp", "reddit", "telegram", "bluesky")


def console_problems(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def stub_other_sites(context, origin: str) -> list[str]:
    """Answer every request for another site inside the browser; return the URLs asked for."""
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>stub</title>"
        )

    context.route(lambda url: not url.startswith(origin), answer)
    return asked


def expected_targets(url: str) -> dict[str, str]:
    u = quote(url, safe="")
    t = quote(HEADLINE, safe="")
    return {
        "x": f"https://twitter.com/intent/tweet?url={u}&text={t}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={u}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={u}",
        "whatsapp": f"https://wa.me/?text={t}%20{u}",
        "reddit": f"https://www.reddit.com/submit?url={u}&title={t}",
        "telegram": f"https://t.me/share/url?url={u}&text={t}",
        "bluesky": f"https://bsky.app/intent/compose?text={t}%20{u}",
        "mastodon": f"/share/mastodon/?url={u}",
        "email": f"mailto:?subject={t}&body={u}",
    }


@pytest.fixture
def story(live_server, settings):
    """A published story whose addresses are on the live server; returns its absolute URL."""
    settings.SITE_URL = live_server.url
    article = ArticleFactory(
        headline=HEADLINE,
        slug="tides-and-storms",
        published_at=datetime(2026, 3, 7, 9, 30, tzinfo=UTC),
        lead_image=None,
    )
    return live_server.url + article.get_absolute_url()


@pytest.fixture
def tab(browser_instance, live_server):
    """A tab allowed to use the clipboard, with other sites stubbed."""
    context = browser_instance.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.asked = stub_other_sites(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_copy_link_puts_the_address_on_the_clipboard_and_says_so(tab, story):
    problems = console_problems(tab)
    tab.goto(story)
    top = tab.locator("nav.share--top")
    status = top.locator("[data-share-status]")
    assert status.is_hidden()

    top.get_by_role("button", name="Copy link").click()

    tab.wait_for_function("el => el.textContent === 'Link copied.'", arg=status.element_handle())
    assert status.is_visible()
    assert status.get_attribute("aria-live") == "polite"
    assert tab.evaluate("navigator.clipboard.readText()") == story
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_share_link_goes_to_its_networks_exact_address(tab, story):
    tab.goto(story)
    expected = expected_targets(story)

    for where in ("top", "bottom"):
        row = tab.locator(f"nav.share--{where}")
        found = {
            service: row.locator(f".share__link--{service}").get_attribute("href")
            for service in expected
        }
        assert found == expected
    top = tab.locator("nav.share--top")
    for service in NETWORKS:
        with tab.context.expect_page() as opened:
            top.locator(f".share__link--{service}").click()
        network = opened.value
        network.wait_for_load_state()
        assert network.url == expected[service], service
        network.close()
    assert tab.url == story  # the story stays open in its own tab


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_device_share_button_shows_only_where_the_browser_has_one(browser_instance, tab, story):
    tab.goto(story)
    has_share = tab.evaluate("typeof navigator.share === 'function'")
    assert tab.locator("nav.share--top [data-share-native]").is_visible() == has_share

    context = browser_instance.new_context()
    context.add_init_script(
        "navigator.share = (data) => { window.sharedWith = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    try:
        page.goto(story)
        button = page.locator("nav.share--bottom").get_by_role("button", name="Share via…")
        assert button.is_visible()
        button.click()
        page.wait_for_function("window.sharedWith !== undefined")
        assert page.evaluate("window.sharedWith") == {"title": HEADLINE, "url": story}
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mastodon_asks_for_the_server_once_and_remembers_it(tab, story):
    problems = console_problems(tab)
    tab.goto(story)
    top = tab.locator("nav.share--top")
    link = top.locator(".share__link--mastodon")
    ask = top.locator("form.share__ask")
    field = ask.get_by_label("Your Mastodon server")
    assert ask.is_hidden()

    link.click()
    assert ask.is_visible() and field.input_value() == ""
    assert link.get_attribute("aria-expanded") == "true"
    field.fill("not a server")
    ask.get_by_role("button", name="Share").click()
    error = ask.locator("[data-share-ask-error]")
    assert error.inner_text().startswith("That is not a server name.")
    assert field.get_attribute("aria-invalid") == "true"

    field.fill("https://Fosstodon.org/")
    with tab.context.expect_page() as opened:
        ask.get_by_role("button", name="Share").click()
    server = opened.value
    server.wait_for_load_state()
    text = quote(f"{HEADLINE} {story}", safe="")
    assert server.url == f"https://fosstodon.org/share?text={text}"
    server.close()
    assert ask.is_hidden()
    assert tab.evaluate("localStorage.getItem('broadsheet.share.host.mastodon')") == "fosstodon.org"

    tab.reload()
    bottom = tab.locator("nav.share--bottom")
    bottom.locator(".share__link--mastodon").click()
    assert bottom.get_by_label("Your Mastodon server").input_value() == "fosstodon.org"
    bottom.get_by_role("button", name="Cancel").click()
    assert bottom.locator("form.share__ask").is_hidden()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_script_mastodon_asks_on_a_page_of_its_own(browser_instance, live_server, story):
    context = browser_instance.new_context(java_script_enabled=False)
    stub_other_sites(context, live_server.url)
    page = context.new_page()
    try:
        page.goto(story)
        assert page.locator("nav.share--top [data-share-copy]").is_hidden()
        page.locator("nav.share--top .share__link--mastodon").click()
        assert page.locator("h1").inner_text() == "Share on Mastodon"

        page.get_by_label("Your Mastodon server").fill("@reader@toot.example.net")
        page.get_by_role("button", name="Continue to your server").click()

        text = quote(f"{HEADLINE} {story}", safe="")
        page.wait_for_url(re.compile(r"^https://toot\.example\.net/"))
        assert page.url == f"https://toot.example.net/share?text={text}"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_share_rows_fit_the_screen(tab, story, width):
    tab.set_viewport_size({"width": width, "height": 800})
    tab.goto(story)
    tab.locator("nav.share--top .share__link--mastodon").click()

    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    links = tab.locator("nav.share--top .share__link").all()
    shown = [link for link in links if link.is_visible()]
    assert len(shown) >= 10  # nine networks and "Copy link"
    for link in shown:
        assert link.bounding_box()["height"] >= 36  # a finger-sized target
