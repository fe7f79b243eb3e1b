"""Imported comments meet the referee: kept as the source had them, the doubtful ones for review."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from broadsheet.accounts.tests.factories import moderator
from broadsheet.discussion import services as discussion
from broadsheet.discussion.models import Comment
from broadsheet.ingest.seed_format import read_page_file
from broadsheet.ingest.services import page_import

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue_ids(client: Client, tab: str) -> list[int]:
    html = client.get("/moderation/", {"tab": tab}).content.decode()
    return sorted(int(pk) for pk in re.findall(r'id="queue-item-(\d+)"', html))


@pytest.fixture
def seed(seed_page):
    return read_page_file(seed_page)


def pigs() -> Comment:
    return Comment.objects.get(body__contains="invading Iranian pigs")


def test_seed_comments_stay_published_and_the_hateful_one_waits_for_review(seed):
    page_import(parsed=seed)

    assert Comment.objects.count() == 7
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    held = pigs()
    assert held.review_imported
    assert held.verdict["imported"] is True
    assert held.verdict["decision"] in ("hold", "reject")
    assert held.verdict["scores"]
    doubted = sorted(c.pk for c in Comment.objects.all() if c.verdict["decision"] != "allow")
    assert sorted(Comment.objects.filter(review_imported=True).values_list("pk", flat=True)) == (
        doubted
    )
    client = signed_in(moderator())
    assert held.pk in queue_ids(client, "imported")
    assert queue_ids(client, "imported") == doubted
    page = client.get("/moderation/", {"tab": "imported"}).content.decode()
    assert "Review imported" in page
    assert "Scores:" in page


def test_every_imported_comment_carries_its_verdict(seed):
    page_import(parsed=seed)

    for comment in Comment.objects.all():
        assert comment.verdict["imported"] is True
        assert comment.verdict["decision"] in ("allow", "hold", "reject")
        assert "reasons" in comment.verdict


def test_a_moderators_decision_takes_the_comment_out_of_review(seed):
    page_import(parsed=seed)
    held = pigs()

    discussion.comment_moderate(comment=held, action="reject", actor=moderator())

    held.refresh_from_db()
    assert held.status == "rejected" and not held.review_imported
    assert held.pk not in queue_ids(signed_in(moderator(username="m2")), "imported")


def test_approving_also_clears_the_review(seed):
    page_import(parsed=seed)

    discussion.comment_moderate(comment=pigs(), action="approve", actor=moderator())

    assert not pigs().review_imported and pigs().status == "approved"


def test_moderate_applies_the_referees_decision(seed):
    page_import(parsed=seed, moderate=True)

    held = pigs()
    assert held.status in ("pending", "rejected")
    assert not held.review_imported
    allowed = [c for c in Comment.objects.all() if c.verdict["decision"] == "allow"]
    assert {c.status for c in allowed} == {"approved"}


def test_reimport_does_not_judge_again_or_undo_a_moderators_decision(seed):
    page_import(parsed=seed)
    discussion.comment_moderate(comment=pigs(), action="approve", actor=moderator())

    page_import(parsed=seed)

    assert Comment.objects.count() == 7
    assert not pigs().review_imported
