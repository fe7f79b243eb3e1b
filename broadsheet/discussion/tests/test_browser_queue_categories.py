"""A moderator filters the queue to identity attacks, sees the weightiest words marked on the seed
page's held comment, and approves another comment with the keyboard alone, in a real browser;
every comment is judged by the real referee (every rule and the shipped models)."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, moderator, post

# The brief asks for the screenshots here, to be looked at after the run.
SCREENSHOTS = Path("/tmp")  # noqa: S108


def seed_comment_text(seed_page: Path, phrase: str) -> str:
    """The body of the seed page's comment containing `phrase`, its lines dedented."""
    blocks: list[list[str]] = [[]]
    for line in seed_page.read_text(encoding="utf-8").splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    (body,) = ["\n".join(block) for block in blocks if any(phrase in line for line in block)]
    return body


def held(thread, body: str) -> Comment:
    """Post through the real referee (every rule, the shipped models) and expect a hold."""
    comment = post(thread, body)
    assert comment.status == Comment.Status.PENDING, comment.verdict
    return comment


def session_for(user) -> str:
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


def seed_default_word_lists() -> None:
    """The word lists migration 0002 seeds, which an earlier transactional test's flush emptied."""
    from importlib import import_module

    from django.apps import apps

    import_module("broadsheet.moderation.migrations.0002_default_word_lists").seed(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moderator_filters_identity_attacks_sees_marks_and_approves_by_keyboard(
    seed_page, live_server, page
):
    seed_default_word_lists()
    thread = ThreadFactory(title="Soleimani killed in US strike")
    text = seed_comment_text(seed_page, "invading Iranian pigs")
    assert text.endswith("Idiots!")
    seed = held(thread, text)
    liars = "People from that country <b>are all liars</b>.\nEvery one of them."
    other = held(thread, liars)
    insult = held(thread, "You are a clown and so is the author.")
    assert (seed.verdict["category"], other.verdict["category"]) == ("identity_attack",) * 2
    assert insult.verdict["category"] == "insult"

    staff = moderator(username="catmod")
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(staff), "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/moderation/")
    assert page.locator(".queue-item").count() == 3
    chip = page.locator('.queue__chip[data-category="identity_attack"]')
    assert chip.inner_text() == "Identity attack 2"
    assert page.locator('.queue__chip[data-category="insult"]').inner_text() == "Insult 1"

    with page.expect_navigation():
        chip.click()
    assert "category=identity_attack" in page.url
    assert chip.get_attribute("aria-current") == "true"
    ids = page.locator(".queue-item").evaluate_all("items => items.map(i => i.dataset.commentId)")
    assert ids == [str(seed.pk), str(other.pk)]
    assert page.locator(f"#queue-item-{insult.pk}").count() == 0

    seed_item = page.locator(f"#queue-item-{seed.pk}")
    marks = seed_item.locator("mark").all_inner_texts()
    assert "pigs" in marks and "Idiots" in marks, marks
    badge = seed_item.locator(".queue-item__category").inner_text()
    assert badge == f"Identity attack · {seed.verdict['score']:.2f}"
    # The other comment's markup is shown as text (never as markup), its weightiest words marked.
    other_item = page.locator(f"#queue-item-{other.pk}")
    assert other_item.locator("mark").count() >= 1
    assert "<b>are all liars</b>" in other_item.locator(".queue-item__body").inner_text()
    assert other_item.locator(".queue-item__body b").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "queue_1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "queue_390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The keyboard alone: from the comment's note field, Tab reaches its Approve button.
    page.focus(f"#note-{other.pk}")
    page.keyboard.press("Tab")
    focused = page.evaluate("(e => [e.tagName, e.name, e.value])(document.activeElement)")
    assert focused == ["BUTTON", "act", f"approve:{other.pk}"]
    with page.expect_navigation():
        page.keyboard.press("Enter")

    other.refresh_from_db()
    assert other.status == Comment.Status.APPROVED
    assert "category=identity_attack" in page.url
    assert page.get_by_text(f"Approved comment {other.pk}.").is_visible()
    assert page.locator(f"#queue-item-{other.pk}").count() == 0
    assert page.locator(".queue-item").count() == 1
    assert page.locator(f"#queue-item-{seed.pk}").is_visible()
    assert (
        page.locator('.queue__chip[data-category="identity_attack"]').inner_text()
        == "Identity attack 1"
    )
    page.screenshot(path=str(SCREENSHOTS / "queue_after_approve.png"), full_page=True)
