"""Share rows on articles: plain links to each network, and Mastodon's ask-your-server page."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from broadsheet.feeds.share import SHARE_TARGETS, host_clean
from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
PUBLISHED = datetime(2026, 3, 7, 9, 30, tzinfo=UTC)
URL = f"{SITE}/2026/03/07/tides-and-storms/"
ENCODED_URL = "https%3A%2F%2Fnews.example.org%2F2026%2F03%2F07%2Ftides-and-storms%2F"
ENCODED_TITLE = "Tides%20%26%20storms%3A%20what%E2%80%99s%20next%3F"
EXPECTED = {
    "x": f"https://twitter.com/intent/tweet?url={ENCODED_URL}&text={ENCODED_TITLE}",
    "facebook": f"https://www.facebook.com/sharer/sharer.php?u={ENCODED_URL}",
    "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={ENCODED_URL}",
    "whatsapp": f"https://wa.me/?text={ENCODED_TITLE}%20{ENCODED_URL}",
    "reddit": f"https://www.reddit.com/submit?url={ENCODED_URL}&title={ENCODED_TITLE}",
    "telegram": f"https://t.me/share/url?url={ENCODED_URL}&text={ENCODED_TITLE}",
    "bluesky": f"https://bsky.app/intent/compose?text={ENCODED_TITLE}%20{ENCODED_URL}",
    "mastodon": f"/share/mastodon/?url={ENCODED_URL}",
    "email": f"mailto:?subject={ENCODED_TITLE}&body={ENCODED_URL}",
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Tides & storms: what’s next?", slug="tides-and-storms", published_at=PUBLISHED
    )


def rows(html: str) -> list[str]:
    return re.findall(r'<nav class="share share--\w+".*?</nav>', html, flags=re.S)


def links(row: str) -> dict[str, tuple[str, str]]:
    """service -> (href, the rest of the tag's attributes) for each link in a share row."""
    found = re.findall(r'<a class="share__link share__link--(\w+)" href="([^"]+)"([^>]*)>', row)
    return {service: (htmllib.unescape(href), rest) for service, href, rest in found}


def test_top_and_bottom_rows_carry_every_networks_exact_link(client, story):
    html = client.get(story.get_absolute_url()).content.decode()

    top, bottom = rows(html)
    assert 'class="share share--top"' in top and 'class="share share--bottom"' in bottom
    assert html.count("Share:") == 2
    for row in (top, bottom):
        found = links(row)
        assert list(found) == [target.service for target in SHARE_TARGETS]
        assert {service: href for service, (href, _) in found.items()} == EXPECTED
        assert f'data-share-url="{URL}"' in row
        assert 'data-share-title="Tides &amp; storms: what’s next?"' in row


def test_network_links_open_a_new_tab_and_leak_no_referrer(client, story):
    (top, _) = rows(client.get(story.get_absolute_url()).content.decode())

    for service, (_href, rest) in links(top).items():
        assert 'rel="nofollow noopener noreferrer"' in rest, service
        assert ('target="_blank"' in rest) == (service not in {"email", "mastodon"}), service


def test_copy_and_device_share_wait_hidden_for_the_script(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    top, _ = rows(html)

    assert re.search(r'<li class="share__item" hidden><button [^>]*data-share-copy>Copy link', top)
    assert re.search(r'<li class="share__item" hidden><button [^>]*data-share-native>', top)
    assert re.search(r'<p class="share__status" role="status" aria-live="polite"', top)
    assert re.search(r'<form class="share__ask" id="share-ask-mastodon-top"[^>]* hidden', top)
    scripts = re.findall(r"<script[^>]*>", html)
    assert '<script src="/static/feeds/share.js" defer>' in scripts
    # Only the site's own files: no third-party widget, tracker or inline code.
    for tag in scripts:
        src = re.search(r'src="([^"]+)"', tag)
        assert (src and src.group(1).startswith("/static/")) or "application/ld+json" in tag, tag


def test_the_mastodon_link_keeps_the_target_for_the_readers_server(client, story):
    (top, _) = rows(client.get(story.get_absolute_url()).content.decode())

    template = re.search(r'data-share-template="([^"]+)"', top).group(1)
    assert template == f"https://{{host}}/share?text={ENCODED_TITLE}%20{ENCODED_URL}"


def test_the_seed_articles_share_links_are_exact(client, seed_page):
    article = page_import(parsed=read_page_file(seed_page)).article
    url = (
        f"https%3A%2F%2Fnews.example.org%2F{article.published_at:%Y}%2F{article.published_at:%m}"
        f"%2F{article.published_at:%d}%2Fgen-soleimani-seen-rallying-iranian-officers-hezbollah-in-syria%2F"
    )
    title = "Gen.%20Soleimani%20seen%20rallying%20Iranian%20officers%2C%20Hezbollah%20in%20Syria"

    html = client.get(article.get_absolute_url()).content.decode()

    for row in rows(html):
        found = {service: href for service, (href, _) in links(row).items()}
        assert found["x"] == f"https://twitter.com/intent/tweet?url={url}&text={title}"
        assert found["facebook"] == f"https://www.facebook.com/sharer/sharer.php?u={url}"
        assert found["linkedin"] == f"https://www.linkedin.com/sharing/share-offsite/?url={url}"
        assert found["whatsapp"] == f"https://wa.me/?text={title}%20{url}"
        assert found["email"] == f"mailto:?subject={title}&body={url}"
    assert len(rows(html)) == 2


def test_a_preview_shows_the_rows_with_the_public_address(client):
    from django.contrib.auth.models import Permission

    from broadsheet.newsroom.tests.factories import UserFactory

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, slug="draft-story")
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)

    html = client.get(f"/preview/{draft.pk}/").content.decode()

    assert f'data-share-url="{SITE}{draft.get_absolute_url()}"' in html
    assert len(rows(html)) == 2


# The server name a reader types


@pytest.mark.parametrize(
    "typed,host",
    [
        ("mastodon.social", "mastodon.social"),
        ("  Mastodon.Social  ", "mastodon.social"),
        ("https://mastodon.social/", "mastodon.social"),
        ("http://toot.example.net/@me", "toot.example.net"),
        ("@reader@fosstodon.org", "fosstodon.org"),
        ("social.example.org:8443", "social.example.org:8443"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ],
)
def test_a_server_name_is_read_as_readers_type_it(typed, host):
    assert host_clean(typed) == host


@pytest.mark.parametrize(
    "typed",
    ["", "localhost", "mastodon", "a b.example", "-bad.example", "x.123", "javascript:alert(1)",
     "mastodon.social\\evil", "exa_mple.org", "a" * 250 + ".org", "@", "me@"],
)  # fmt: skip
def test_anything_but_a_server_name_is_refused(typed):
    assert host_clean(typed) is None


# The page that asks for the server (what the Mastodon link does without script)


def ask_url(article) -> str:
    return f"/share/mastodon/?url={SITE}{article.get_absolute_url()}"


def test_the_ask_page_names_the_story_and_is_never_indexed_or_shared(client, story):
    response = client.get(ask_url(story))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Share on Mastodon</h1>" in html
    assert "Tides &amp; storms: what’s next?" in html
    assert '<label for="id_host">Your Mastodon server</label>' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # Its form's answer is a redirect to the reader's server, which form-action must allow.
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' https:;" in policy and "script-src 'self';" in policy


def test_posting_a_server_sends_the_reader_to_its_share_page(client, story):
    response = client.post(
        "/share/mastodon/", {"url": f"{SITE}{story.get_absolute_url()}", "host": "Fosstodon.org/"}
    )

    assert response.status_code == 303
    assert response["Location"] == (
        f"https://fosstodon.org/share?text={ENCODED_TITLE}%20{ENCODED_URL}"
    )


def test_a_bad_server_name_is_explained_and_kept(client, story):
    response = client.post(
        "/share/mastodon/", {"url": f"{SITE}{story.get_absolute_url()}", "host": "not a server"}
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "That is not a server name." in html
    assert 'value="not a server"' in html
    assert 'aria-invalid="true"' in html


def test_an_empty_server_name_asks_for_one(client, story):
    response = client.post("/share/mastodon/", {"url": f"{SITE}{story.get_absolute_url()}"})

    assert response.status_code == 400
    assert "Type the name of your server, e.g. mastodon.social." in response.content.decode()


def test_no_link_can_make_the_page_redirect(client, story):
    # A crafted link with the server in it only shows the form: sending needs the form's POST.
    response = client.get(ask_url(story) + "&host=evil.example")

    assert response.status_code == 200
    assert "Location" not in response


def test_posting_needs_the_forms_token(story):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        "/share/mastodon/", {"url": f"{SITE}{story.get_absolute_url()}", "host": "evil.example"}
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://elsewhere.example/2026/03/07/tides-and-storms/",
        "https://news.example.org.evil.example/2026/03/07/tides-and-storms/",
        f"{SITE}/section/world/",
        f"{SITE}/2026/03/08/tides-and-storms/",
        f"{SITE}/2026/03/07/no-such-story/",
        "//evil.example/2026/03/07/tides-and-storms/",
        f"{SITE}//[x/",
        "http://[::1",
        "http://news.example.org/2026/03/07/tides-and-storms/",
    ],
)
def test_only_this_sites_own_published_articles_can_be_shared(client, story, url):
    assert client.get("/share/mastodon/", {"url": url}).status_code == 404
    response = client.post("/share/mastodon/", {"url": url, "host": "mastodon.social"})
    assert response.status_code == 404


def test_an_unpublished_story_cannot_be_shared(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, slug="secret")

    assert client.get(ask_url(draft)).status_code == 404


@pytest.mark.parametrize("service", ["facebook", "x", "email", "nowhere"])
def test_networks_with_one_address_have_no_ask_page(client, story, service):
    response = client.get(f"/share/{service}/", {"url": f"{SITE}{story.get_absolute_url()}"})

    assert response.status_code == 404
