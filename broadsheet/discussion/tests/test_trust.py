"""Trust is earned by a signed-in identity: a guest typing a regular's email earns nothing."""

from __future__ import annotations

import pytest

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import ThreadFactory, UserFactory, post
from broadsheet.moderation.services import word_rule_set

pytestmark = pytest.mark.django_db


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
    ).comment
    assert signed_in is not None
    assert impostor.status == Comment.Status.PENDING
    assert guest_again.status == Comment.Status.PENDING
    assert signed_in.status == Comment.Status.APPROVED
