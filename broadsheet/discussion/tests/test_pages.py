"""Page URLs name threads: the same page always meets the same thread, other sites never do."""

from __future__ import annotations

import pytest

from broadsheet.discussion.pages import (
    origin_normalize,
    page_ref,
    page_url_normalize,
    thread_page_url,
    url_thread_key,
)
from broadsheet.discussion.tests.factories import ThreadFactory


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("https://Blog.Example.net/posts/kites/", "https://blog.example.net/posts/kites/"),
        ("https://blog.example.net:443/posts/kites/#c-12", "https://blog.example.net/posts/kites/"),
        ("http://blog.example.net:8080", "http://blog.example.net:8080/"),
        (
            "https://blog.example.net/?p=12&utm_source=feed&fbclid=abc",
            "https://blog.example.net/?p=12",
        ),
        ("  https://blog.example.net/a b  ", "https://blog.example.net/a b"),
    ],
)
def test_page_urls_are_normalized_so_one_page_is_one_thread(raw, normal):
    assert page_url_normalize(raw) == normal


@pytest.mark.parametrize(
    "raw", ["", "blog.example.net/page", "javascript:alert(1)", "ftp://x.example/", "https://"]
)
def test_things_that_are_not_web_pages_are_refused(raw):
    with pytest.raises(ValueError):
        page_url_normalize(raw)


def test_origins_compare_by_scheme_host_and_port():
    assert origin_normalize("HTTPS://Blog.Example.net:443/") == "https://blog.example.net"
    assert origin_normalize("http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert origin_normalize("null") == ""


def test_very_long_urls_get_a_digest_key_that_fits_the_column():
    url = "https://blog.example.net/" + "x" * 400
    key = url_thread_key(url)
    assert len(key) <= 255
    assert key.startswith("url:sha256:")
    assert url_thread_key(url) == key


def test_only_pages_on_allowed_origins_may_get_a_new_thread(settings):
    settings.COMMENT_EMBED_ORIGINS = ["https://blog.example.net"]
    settings.SITE_URL = "https://news.example.org"
    allowed = page_ref("https://blog.example.net/posts/kites/")
    foreign = page_ref("https://elsewhere.example/posts/kites/")
    own = page_ref("https://news.example.org/2026/05/story/?page=2")

    assert allowed.may_create and allowed.key == "url:https://blog.example.net/posts/kites/"
    assert not foreign.may_create
    assert own.is_own and own.url == "/2026/05/story/" and not own.key
    assert page_ref("/2026/05/story/?sort=newest#comments").url == "/2026/05/story/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "sent_to"),
    [
        ("/2026/05/story/?page=2#comments", "/2026/05/story/"),
        ("https://blog.example.net/posts/kites/", "https://blog.example.net/posts/kites/"),
        ("https://news.example.org/2026/05/story/", "https://news.example.org/2026/05/story/"),
        ("https://elsewhere.example/posts/kites/", None),
        ("http://blog.example.net/posts/kites/", None),
        ("//elsewhere.example/posts/", None),
        ("/\\elsewhere.example/posts/", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_readers_are_sent_only_to_pages_here_or_on_an_embedding_site(settings, stored, sent_to):
    settings.COMMENT_EMBED_ORIGINS = ["https://blog.example.net"]
    settings.SITE_URL = "https://news.example.org"
    thread = ThreadFactory(url=stored)
    own_page = f"/comments/thread/{thread.pk}/"
    assert thread_page_url(thread, request_origin="http://testserver") == (sent_to or own_page)
