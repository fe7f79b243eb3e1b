"""Hardening of the comment engine: reports, trust, ids, emails, article sync, re-approval."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, Subscription, Thread
from broadsheet.discussion.security import comment_token
from broadsheet.discussion.tests.factories import ThreadFactory, UserFactory, moderator, post
from broadsheet.moderation.services import context_policy_set, word_rule_set
from broadsheet.newsroom import services as newsroom_services
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


# 1. Reports count people, not browser sessions ---------------------------------------------


def test_three_sessions_from_one_network_do_not_hold_a_comment(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 3
    thread = ThreadFactory(url="")
    comment = post(thread, "One person dislikes this.")
    for _ in range(3):
        # Three cookie-less browsers on one address: three report rows, one reporter.
        Client(REMOTE_ADDR="198.51.100.7").post(
            f"/comments/{comment.pk}/report/", {"reason": "abuse"}
        )
    comment.refresh_from_db()
    assert comment.report_count == 3
    assert comment.status == Comment.Status.APPROVED
    assert (
        "One person dislikes this."
        in Client().get(f"/comments/thread/{thread.pk}/").content.decode()
    )


def test_signed_in_readers_on_one_network_count_one_each(settings):
    settings.COMMENT_REPORTS_TO_HOLD = 3
    comment = post(ThreadFactory(url=""), "Three accounts in one office.")
    for _ in range(3):
        browser = Client(REMOTE_ADDR="198.51.100.8")
        browser.force_login(UserFactory())
        browser.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


# 2 and 3. Trust needs a signed-in identity; the form stamp reaches the referee -------------


def test_a_guest_with_a_regulars_email_is_held_but_the_signed_in_regular_is_not(settings):
    settings.MODERATION_TRUSTED_AFTER = 2
    word_rule_set(word="ferret", action="hold")
    thread = ThreadFactory()
    regular = UserFactory(email="regular@example.org")
    for n in range(2):
        services.comment_post(
            thread=thread, body=f"Clean remark {n}.", user=regular, ip=f"10.1.1.{n}"
        )
    for n in range(2):
        post(thread, f"Guest remark {n}.", email="guest-regular@example.org")

    impostor = post(thread, "A ferret said so.", email="regular@example.org", name="Regular")
    guest_again = post(thread, "A ferret agreed.", email="guest-regular@example.org")
    signed_in = services.comment_post(
        thread=thread, body="My ferret concurs.", user=regular, ip="10.1.1.9"
    )
    assert impostor.status == Comment.Status.PENDING
    assert guest_again.status == Comment.Status.PENDING
    assert signed_in.status == Comment.Status.APPROVED


def test_a_forged_form_stamp_is_refused_and_nothing_is_stored():
    thread = ThreadFactory()
    comment = post(thread, "Sent by a script without the form.", form_token_valid=False)
    assert comment.pk is None and comment.reader_message
    assert post(thread, "Sent from the real form.", form_token_valid=True).pk is not None
    assert Comment.objects.count() == 1


# 4. Ids no database can hold, and digits int() refuses ----------------------------------------


@pytest.mark.parametrize("parent", [str(2**63), 2**64, "²", "１２", "-3", "0"])
def test_an_impossible_parent_id_is_a_field_error(parent):
    with pytest.raises(ValidationError) as exc:
        post(ThreadFactory(), "A reply to nothing.", parent=parent)
    assert "does not exist" in exc.value.message_dict["parent"][0]


def test_the_queue_refuses_impossible_ids_without_a_server_error(client):
    comment = post(ThreadFactory(), "Waiting.")
    client.force_login(moderator())
    for act in ("approve:²", f"approve:{2**64}"):
        response = client.post("/moderation/act/", {"act": act})
        assert response.status_code < 500
    response = client.post("/moderation/act/", {"bulk": "reject", "ids": ["²", str(2**70)]})
    assert response.status_code < 500
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


# 5. Email addresses longer than the column ------------------------------------------------------


def test_an_email_longer_than_254_characters_is_a_field_error(client):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.org"
    assert len(email) > 254
    with pytest.raises(ValidationError) as exc:
        post(ThreadFactory(), "Long address.", email=email)
    assert "254" in exc.value.message_dict["author_email"][0]

    thread = ThreadFactory()
    body = {"key": thread.key, "body": "Via the API.", "author_name": "Long", "author_email": email}
    response = client.post(
        "/api/comments", json.dumps(body), content_type="application/json", REMOTE_ADDR="10.7.7.7"
    )
    assert response.status_code == 422
    assert "author_email" in response.json()["errors"]
    assert Comment.objects.count() == 0


# 7, 8 and 9. The article owns its thread's state; reading never changes it ------------------


def test_a_moderators_closure_survives_page_views_and_article_saves(client):
    article = ArticleFactory()
    thread = article_thread(article)
    services.thread_close(thread=thread)
    assert client.get(article.get_absolute_url()).status_code == 200
    article.dek = "Updated standfirst."
    article.save()
    thread.refresh_from_db()
    assert thread.is_closed


def test_turning_comments_off_and_on_follows_the_article():
    article = ArticleFactory()
    thread = article_thread(article)
    article.comments_enabled = False
    article.save()
    thread.refresh_from_db()
    assert thread.is_closed
    # A page view with comments off does not write, and turning them on again reopens.
    article_thread(article)
    article.comments_enabled = True
    article.save()
    thread.refresh_from_db()
    assert not thread.is_closed


def test_an_unpublished_articles_discussion_is_hidden_everywhere(client):
    article = ArticleFactory()
    thread = article_thread(article)
    post(thread, "Said while it was live.")
    newsroom_services.article_unpublish(article=article)
    thread.refresh_from_db()
    assert not thread.is_visible
    assert not Thread.objects.visible().filter(pk=thread.pk).exists()
    with pytest.raises(ValidationError) as exc:
        post(thread, "Said after it was taken down.")
    assert "not available" in exc.value.message_dict["thread"][0]
    assert client.get("/api/threads", {"key": thread.key}).status_code == 404
    body = {
        "key": thread.key,
        "body": "Via the API.",
        "author_name": "A",
        "author_email": "a@x.org",
    }
    response = client.post("/api/comments", json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_a_scheduled_articles_discussion_opens_at_its_time_without_a_cron():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    thread = article_thread(article)
    assert not thread.is_visible
    when = timezone.now() + timedelta(hours=2)
    newsroom_services.article_schedule(article=article, publish_at=when)
    thread.refresh_from_db()
    assert thread.visible_from == when
    assert not thread.is_visible_at(when - timedelta(seconds=1))
    assert thread.is_visible_at(when)


def test_a_section_policy_holds_clean_comments_in_that_section_only():
    world = ArticleFactory(section=SectionFactory(name="World", slug="world"))
    city = ArticleFactory(section=SectionFactory(name="City", slug="city"))
    context_policy_set(key="section:world", mode="pre")
    on_world = post(article_thread(world), "A perfectly clean remark.")
    on_city = post(article_thread(city), "Another perfectly clean remark.", email="b@example.org")
    assert on_world.status == Comment.Status.PENDING
    assert on_city.status == Comment.Status.APPROVED


def test_a_section_policy_applies_to_edits_too():
    world = ArticleFactory(section=SectionFactory(name="World", slug="world"))
    comment = post(article_thread(world), "Published before the policy.")
    context_policy_set(key="section:world", mode="pre")
    services.comment_edit(
        comment=comment, body="Changed after the policy.", token=comment_token(comment.pk)
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


# 11. Subscribers hear of a comment once ------------------------------------------------------


def test_re_approving_a_comment_does_not_email_subscribers_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    Subscription.objects.create(thread=thread, email="watcher@example.org", is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, "News to the watcher.")
    assert len(mailoutbox) == 1
    actor = moderator()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment=comment, action="reject", actor=actor)
        services.comment_moderate(comment=comment, action="approve", actor=actor)
        services.comment_status_set(comment=comment, status=Comment.Status.REJECTED)
        services.comment_status_set(comment=comment, status=Comment.Status.APPROVED)
    assert len(mailoutbox) == 1


def test_a_held_comment_notifies_once_when_first_approved(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    Subscription.objects.create(thread=thread, email="watcher@example.org", is_active=True)
    context_policy_set(key=f"thread:{thread.pk}", mode="pre")
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, "Waits for a moderator.")
    assert comment.status == Comment.Status.PENDING and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment=comment, action="approve", actor=moderator())
    assert len(mailoutbox) == 1


# 6. A typed address is subscribed only after it confirms ------------------------------------


def _link(message) -> str:
    import re

    match = re.search(r"https?://\S+/comments/subscribe/\S+/", message.body)
    assert match is not None, message.body
    return match.group(0)


def test_a_guest_subscription_waits_for_the_emailed_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    thread = ThreadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = post(thread, "Tell me about replies.", email="victim@example.org", notify=True)
    assert first.subscription_pending
    (confirm,) = mailoutbox
    assert confirm.to == ["victim@example.org"]
    assert confirm.alternatives and "text/html" in confirm.alternatives[0][1]
    subscription = Subscription.objects.get()
    assert not subscription.is_active

    # Until confirmed, new comments email nobody.
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "A reply nobody hears of.", email="other@example.org")
    assert len(mailoutbox) == 1

    path = _link(confirm).removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active  # a link scanner's GET confirms nothing
    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active

    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "Now the subscriber hears.", email="third@example.org")
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["victim@example.org"]


def test_a_confirmation_link_expires_after_a_week_and_cannot_be_forged(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from unittest import mock

    thread = ThreadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, "Notify me.", email="late@example.org", notify=True)
    path = _link(mailoutbox[0]).removeprefix(settings.SITE_URL)
    assert client.post(path[:-3] + "xx/").status_code == 404
    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert client.post(path).status_code == 404
    assert not Subscription.objects.get().is_active


def test_a_signed_in_reader_is_subscribed_at_once_to_their_own_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    thread = ThreadFactory()
    reader = UserFactory(email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(
            thread=thread, body="Keep me posted.", user=reader, ip="10.3.3.3", notify=True
        )
    assert mailoutbox == []
    assert Subscription.objects.get().is_active


def test_comments_under_a_taken_down_article_cannot_be_reported(client):
    article = ArticleFactory()
    comment = post(article_thread(article), "Said while it was live.")
    newsroom_services.article_unpublish(article=article)
    assert client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"}).status_code == 404
    with pytest.raises(ValidationError):
        services.comment_report(comment=comment, reporter_key="reader:1", reason="spam")
