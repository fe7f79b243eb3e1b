"""User text becomes safe HTML; every page carries strict security headers."""

import pytest

from broadsheet.core.text import render_article_markdown, render_comment_markdown


def test_comment_markdown_keeps_emphasis_and_links_but_drops_scripts_images_headings():
    html = render_comment_markdown(
        "# Big\n\n*fine* [site](https://example.org) ![x](https://e.org/x.png)\n\n"
        "<script>alert(1)</script>"
    )
    assert "<em>fine</em>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "<h1" not in html
    assert "<img" not in html
    assert "<script" not in html


def test_javascript_links_are_removed_from_articles_and_comments():
    for render in (render_article_markdown, render_comment_markdown):
        html = render("[click](javascript:alert(1)) <a href='javascript:alert(2)'>x</a>")
        assert 'href="javascript' not in html
        assert "<a href='javascript" not in html


def test_article_markdown_allows_subheadings():
    assert "<h2>Background</h2>" in render_article_markdown("## Background")


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_view_serves_only_images(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert client.get("/media/page.html").status_code == 404
    ok = client.get("/media/photo.png")
    assert ok.status_code == 200
    assert "max-age" in ok["Cache-Control"]


@pytest.mark.django_db
def test_gravatar_host_is_allowed_only_when_gravatar_is_switched_on(client, settings):
    assert "gravatar" not in client.get("/")["Content-Security-Policy"]
    settings.GRAVATAR = True
    assert (
        "img-src 'self' data: https://www.gravatar.com"
        in client.get("/")["Content-Security-Policy"]
    )


def test_a_photo_with_an_emphasized_line_under_it_is_a_captioned_figure():
    html = render_article_markdown(
        "![Boats at dawn](https://img.example/boats.jpg)\n*Boats return at dawn. Photo: Jo Lens*"
    )

    assert html == (
        '<figure><img src="https://img.example/boats.jpg" alt="Boats at dawn">'
        "<figcaption>Boats return at dawn. Photo: Jo Lens</figcaption></figure>\n"
    )


def test_an_image_beside_ordinary_emphasis_stays_a_paragraph():
    html = render_article_markdown("![a](https://img.example/a.jpg)\n*one* and *two*")

    assert html.startswith("<p><img") and "<figcaption>" not in html
