"""The embeddable widget, in a real browser, on a page served from another origin."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.tests.factories import moderator, post

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kites over the bay</title></head>
<body><main><h1>Kites over the bay</h1><p>A blog post on another site.</p>
<div id="broadsheet-thread"></div>
<script src="{site}/static/discussion/widget.js" data-broadsheet-url="{page_url}" async></script>
</main></body></html>
"""


class OtherSite:
    """A tiny web server on its own port: a different origin from the live server."""

    def __init__(self, site: str) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                body = PAGE.format(site=site, page_url=outer.page_url).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.page_url = f"{self.origin}/posts/kites/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def other_site(live_server) -> Iterator[OtherSite]:
    site = OtherSite(live_server.url)
    yield site
    site.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_widget_on_another_site_shows_the_thread_and_posts_a_comment_and_a_reply(
    page, live_server, other_site, settings
):
    settings.COMMENT_EMBED_ORIGINS = [other_site.origin]
    thread = services.thread_get_or_create(
        key=f"url:{other_site.page_url}", url=other_site.page_url, title="Kites over the bay"
    )
    first = post(thread, "The *red* kite was the best.", name="Orla Penn")
    post(thread, "Agreed, it flew highest.", parent=first, name="Tam Greer")
    services.comment_feature(comment=first, actor=moderator())

    page.goto(other_site.page_url)

    widget = page.locator("#broadsheet-thread")
    widget.get_by_text("2 responses to “Kites over the bay”").wait_for()
    first_item = widget.locator(f"#broadsheet-comment-{first.pk}")
    assert first_item.locator(".bs-comment__author").first.inner_text() == "Orla Penn"
    assert first_item.locator(".bs-comment__content em").first.inner_text() == "red"
    assert first_item.locator(".bs-children .bs-comment__author").inner_text() == "Tam Greer"
    picks = widget.get_by_role("region", name="Editors’ picks")
    assert picks.locator(".bs-comment__author").inner_text() == "Orla Penn"

    # A new top-level comment.
    widget.get_by_role("textbox", name="Comment").fill("I watched from the pier.")
    widget.get_by_role("textbox", name="Name").fill("Noor Vance")
    widget.get_by_role("textbox", name="Email").fill("noor@example.org")
    widget.get_by_role("button", name="Post Comment").click()
    widget.get_by_text("3 responses to “Kites over the bay”").wait_for()
    mine = Comment.objects.get(author_name="Noor Vance")
    item = widget.locator(f"#broadsheet-comment-{mine.pk}")
    assert item.locator(".bs-comment__content").inner_text().strip() == "I watched from the pier."
    assert item.locator("img.bs-avatar").get_attribute("src").startswith(live_server.url)
    assert "noor@example.org" not in page.content()

    # A reply under the first comment: the form moves there and the reply lands beneath it.
    first_item.get_by_role("button", name="Reply to Orla Penn").click()
    reply_form = first_item.locator("form.bs-form")
    reply_form.get_by_role("textbox", name="Comment").fill("Which kite shop was that?")
    assert reply_form.get_by_role("textbox", name="Name").input_value() == ""
    reply_form.get_by_role("textbox", name="Name").fill("Noor Vance")
    reply_form.get_by_role("textbox", name="Email").fill("noor@example.org")
    reply_form.get_by_role("button", name="Post Comment").click()
    widget.get_by_text("4 responses to “Kites over the bay”").wait_for()
    reply = Comment.objects.get(body="Which kite shop was that?")
    assert reply.parent_id == first.pk
    nested = widget.locator(
        f"#broadsheet-comment-{first.pk} .bs-children #broadsheet-comment-{reply.pk}"
    )
    assert nested.count() == 1
    # The author may edit what they just wrote, in place.
    nested.get_by_role("button", name="Edit").click()
    editor = nested.get_by_role("textbox", name="Edit your comment")
    assert editor.input_value() == "Which kite shop was that?"
    editor.fill("Which kite shop sold that one?")
    nested.get_by_role("button", name="Save").click()
    widget.get_by_text("Which kite shop sold that one?").wait_for()
    reply.refresh_from_db()
    assert reply.body == "Which kite shop sold that one?"
    assert nested.locator(".bs-comment__edited").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_widget_creates_the_thread_on_first_post_and_keeps_text_when_refused(
    page, live_server, other_site, settings
):
    settings.COMMENT_EMBED_ORIGINS = [other_site.origin]
    page.goto(other_site.page_url)
    widget = page.locator("#broadsheet-thread")
    widget.get_by_text("No responses yet").wait_for()
    assert not Thread.objects.exists()

    widget.get_by_role("textbox", name="Name").fill("Noor Vance")
    widget.get_by_role("textbox", name="Email").fill("not-an-email")
    widget.get_by_role("textbox", name="Website").fill("noor.example")
    widget.get_by_role("button", name="Post Comment").click()

    widget.get_by_text("Please write a comment.").wait_for()
    assert widget.get_by_text("Please give a valid email address").count() == 1
    assert widget.get_by_role("textbox", name="Name").input_value() == "Noor Vance"
    assert widget.get_by_role("textbox", name="Email").input_value() == "not-an-email"
    assert widget.get_by_role("textbox", name="Comment").get_attribute("aria-invalid") == "true"
    assert not Thread.objects.exists()

    widget.get_by_role("textbox", name="Email").fill("noor@example.org")
    widget.get_by_role("textbox", name="Comment").fill("First!")
    widget.get_by_role("button", name="Post Comment").click()
    widget.get_by_text("One response to “Kites over the bay”").wait_for()
    thread = Thread.objects.get()
    assert thread.url == other_site.page_url
    assert thread.title == "Kites over the bay"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_widget_on_a_site_that_is_not_allowed_cannot_read_the_thread(
    page, live_server, other_site, settings
):
    settings.COMMENT_EMBED_ORIGINS = []
    thread = services.thread_get_or_create(
        key=f"url:{other_site.page_url}", url=other_site.page_url, title="Kites"
    )
    post(thread, "Nobody embedding this should see me.")
    page.goto(other_site.page_url)
    problem = page.locator("#broadsheet-thread .bs-problem")
    problem.wait_for()
    assert "could not be loaded" in problem.inner_text()
    assert page.locator(".bs-comment").count() == 0
