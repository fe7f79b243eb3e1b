"""WordPress's paragraph rules and shortcodes, and the Markdown the sanitizer then reads."""

from __future__ import annotations

from broadsheet.core.text import render_article_markdown
from broadsheet.ingest.wordpress.content import (
    Shortcodes,
    html_to_markdown,
    post_html,
    shortcodes_apply,
    wpautop,
)
from broadsheet.ingest.wordpress.wxr import attachment_credit, slug_decode


def rendered(content: str) -> str:
    return render_article_markdown(html_to_markdown(post_html(content, Shortcodes())))


def test_blank_lines_make_paragraphs_and_single_newlines_breaks():
    assert wpautop("One.\nStill one.\n\nTwo.") == "<p>One.<br />\nStill one.</p>\n<p>Two.</p>"


def test_block_elements_are_left_alone():
    html = wpautop("Intro.\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nAfter.")

    assert "<p><ul>" not in html and "<li>a</li>" in html
    assert html.startswith("<p>Intro.</p>") and html.endswith("<p>After.</p>")


def test_preformatted_text_keeps_its_lines():
    assert "<pre>a\n\nb</pre>" in wpautop("Code:\n\n<pre>a\n\nb</pre>")


def test_caption_becomes_a_figure_with_its_caption():
    counts = Shortcodes()
    html = shortcodes_apply(
        '[caption id="attachment_3" align="alignleft" width="300"]<a href="/big.jpg">'
        '<img src="https://x.example/a.jpg" alt="A kite" /></a> Kites over the bay[/caption]',
        counts,
    )

    assert '<figure><img src="https://x.example/a.jpg" alt="A kite" />' in html
    assert "<figcaption>Kites over the bay</figcaption></figure>" in html
    assert counts.captions == 1


def test_unknown_shortcodes_go_and_their_text_stays():
    counts = Shortcodes()
    html = shortcodes_apply('[gallery ids="1,2"][note type="x"]Mind the gap[/note] [sic]', counts)

    assert html == "Mind the gap [sic]"
    assert counts.removed == {"gallery": 1, "note": 1}


def test_scripts_and_event_handlers_never_reach_the_page():
    html = rendered(
        'Hi <script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">link</a>'
        '<iframe src="https://evil.example"></iframe> <img src="x" onerror="y()">'
    )

    assert "script" not in html and "javascript" not in html
    assert "onclick" not in html and "iframe" not in html and "onerror" not in html
    assert html == "<p>Hi link</p>\n"


def test_markdown_in_the_source_text_is_not_interpreted():
    assert rendered("# not a heading and *not emphasis*") == (
        "<p># not a heading and *not emphasis*</p>\n"
    )


def test_headings_links_and_emphasis_survive():
    html = rendered('<h1>Big</h1>\n\nSee <a href="https://x.example/a b">the <em>report</em></a>.')

    assert "<h2>Big</h2>" in html
    assert '<a href="https://x.example/a%20b" rel="noopener">the <em>report</em></a>' in html


def test_block_editor_content_is_not_autop_ed():
    html = post_html("<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->", Shortcodes())

    assert html == "<p>One</p>"


def test_a_percent_encoded_slug_is_decoded():
    assert slug_decode("caf%c3%a9-reopens") == "café-reopens"


def test_the_credit_comes_from_the_serialized_image_meta():
    meta = 'a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:7:"Reuters";}}'

    assert attachment_credit(meta) == "Reuters"
    assert attachment_credit("") == ""
