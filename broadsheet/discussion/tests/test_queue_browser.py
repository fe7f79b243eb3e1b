"""A moderator works the queue by keyboard in a real browser; readers' reports hold a comment."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.embedding import EMBEDDING_URLS, page_thread, page_url
from broadsheet.discussion.tests.factories import moderator, post

pytestmark = pytest.mark.urls(EMBEDDING_URLS)

HELD = "Only an idiot would reopen the old ferry route."
# Published by the referee (it reads as chatter), reported by readers who think otherwise.
REPORTED = "Anyone fancy a pint at the Anchor after the council meeting tonight?"


@pytest.fixture
def thread(settings):
    # A browser fills the form faster than the referee's minimum form age; people do not.
    settings.MODERATION_MIN_FORM_SECONDS = 0
    settings.COMMENT_REPORTS_TO_HOLD = 3
    # Reports count distinct networks; behind one trusted proxy each reader gets its own address.
    settings.TRUSTED_PROXY_COUNT = 1
    return page_thread("ferry", "Ferry route returns")


def post_as_reader(tab, url: str, name: str, body: str) -> None:
    tab.goto(url)
    tab.fill("#id_author_name", name)
    tab.fill("#id_author_email", f"{name.lower()}@example.org")
    tab.fill("#id_body", body)
    tab.click("#submit")
    tab.wait_for_url("**#comment-*")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moderator_approves_by_keyboard_and_three_reports_hold_a_comment(
    thread, live_server, page, browser_instance
):
    url = live_server.url + page_url("ferry")
    contexts = []

    def new_tab(address: str = ""):
        headers = {"X-Forwarded-For": address} if address else {}
        context = browser_instance.new_context(extra_http_headers=headers)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    try:
        # A reader's comment with a suspect word is held, and only its author sees it.
        author = new_tab()
        post_as_reader(author, url, "Quinn", HELD)
        assert author.get_by_text("Your comment is awaiting moderation.").is_visible()
        held = Comment.objects.get(body=HELD)
        assert held.status == Comment.Status.PENDING

        # The moderator signs in through the staff login and lands on the queue.
        staff = moderator(username="mod", display_name="Mo Derator")
        staff.set_password("queue-pass-123")
        staff.save()
        page.goto(live_server.url + "/moderation/")
        page.fill("#id_username", "mod")
        page.fill("#id_password", "queue-pass-123")
        page.click("input[type=submit]")
        page.wait_for_url("**/moderation/")
        pending_tab = page.locator('a[data-tab="pending"]')
        assert pending_tab.get_attribute("aria-current") == "page"
        assert pending_tab.locator(".queue__count").inner_text() == "1"
        item = page.locator(f"#queue-item-{held.pk}")
        assert HELD in item.inner_text()
        assert "Ferry route returns" in item.inner_text()

        # j focuses the first comment, a approves it: the keyboard alone.
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == f"queue-item-{held.pk}"
        with page.expect_navigation():
            page.keyboard.press("a")
        assert page.get_by_text(f"Approved comment {held.pk}.").is_visible()
        assert page.locator(f"#queue-item-{held.pk}").count() == 0
        held.refresh_from_db()
        assert held.status == Comment.Status.APPROVED

        reader = new_tab()
        reader.goto(url)
        assert reader.locator(f"li#comment-{held.pk}").get_by_text(HELD).is_visible()

        # Three readers, each in their own browser on their own network, report a comment.
        post_as_reader(new_tab(), url, "Seller", REPORTED)
        target = Comment.objects.get(body=REPORTED)
        assert target.status == Comment.Status.APPROVED
        for n in range(3):
            tab = new_tab(f"203.0.113.{n + 10}")
            tab.goto(url)
            tab.locator(f"li#comment-{target.pk} .comment__report").click()
            # With script the report form opens in place, under the comment.
            box = tab.locator(f"li#comment-{target.pk} .comment__report-box")
            box.locator("#reason-spam" if n else "#reason-abuse").check()
            box.locator("button[type=submit]").click()
            box.get_by_text("Your report has been sent to our moderators.").wait_for()
            assert tab.url == url  # no page change

        target.refresh_from_db()
        assert target.status == Comment.Status.PENDING and target.report_count == 3
        page.goto(live_server.url + "/moderation/?tab=reported")
        assert page.locator('a[data-tab="reported"] .queue__count').inner_text() == "1"
        reported = page.locator(f"#queue-item-{target.pk}")
        assert "3 reader reports" in reported.inner_text()
        fresh = new_tab()
        fresh.goto(url)
        assert fresh.locator(f"li#comment-{target.pk}").count() == 0
        assert REPORTED not in fresh.content()
        assert fresh.locator(f"li#comment-{held.pk}").is_visible()
    finally:
        for context in contexts:
            context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moderator_selects_with_x_and_rejects_in_bulk(thread, live_server, page):
    first, second, third = (post(thread, f"{HELD} Take {n}.") for n in range(3))
    assert {c.status for c in (first, second, third)} == {Comment.Status.PENDING}
    staff = moderator(username="bulkmod")
    page.context.add_cookies(
        [{"name": "sessionid", "value": _session_for(staff), "url": live_server.url}]
    )
    page.goto(live_server.url + "/moderation/")
    assert "j next, k previous" in page.locator("#queue-help").inner_text()

    page.keyboard.press("j")
    page.keyboard.press("x")  # select the first
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")  # back to the second
    assert page.evaluate("document.activeElement.id") == f"queue-item-{second.pk}"
    page.keyboard.press("x")
    assert page.locator(f"#select-{first.pk}").is_checked()
    assert page.locator(f"#select-{second.pk}").is_checked()
    assert not page.locator(f"#select-{third.pk}").is_checked()
    page.fill("#bulk-note", "Same insult, three times")
    with page.expect_navigation():
        page.get_by_role("button", name="Reject selected").click()

    assert page.get_by_text("Rejected: 2 comments.").is_visible()
    statuses = [Comment.objects.get(pk=c.pk).status for c in (first, second, third)]
    assert statuses == ["rejected", "rejected", "pending"]
    assert page.locator('a[data-tab="pending"] .queue__count').inner_text() == "1"


def _session_for(user) -> str:
    """Sign the user in the way the login view would, returning the session cookie's value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key
