"""What discussion tells the referee about a comment, and how its verdict becomes a status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Value
from django.db.models.functions import Lower

from broadsheet.discussion.models import Comment, Thread
from broadsheet.moderation import conf
from broadsheet.moderation.verdicts import Decision

if TYPE_CHECKING:
    from broadsheet.accounts.models import User

STATUS_FOR_DECISION = {
    Decision.ALLOW: Comment.Status.APPROVED,
    Decision.HOLD: Comment.Status.PENDING,
    Decision.REJECT: Comment.Status.REJECTED,
}


def policy_keys(thread: Thread, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The thread's moderation policy keys, general to specific: owner's keys, then the thread."""
    keys = [*(thread.context_keys or []), *extra, f"thread-key:{thread.key}", f"thread:{thread.pk}"]
    return tuple(dict.fromkeys(str(key) for key in keys))


def author_history(*, user: User | None, email: str) -> dict[str, int | None]:
    """Count the author's earlier comments, as far as the referee's rules will look at them.

    Trust (MODERATION_TRUSTED_AFTER) is only for signed-in authors, since a guest's email is
    typed, not proven; a guest's history only matters with MODERATION_HOLD_FIRST_COMMENT on.
    Otherwise a guest costs no query at all: "total" is None, not known.
    """
    if user is not None:
        mine = Comment.objects.filter(user=user)
    elif email and conf.get("MODERATION_HOLD_FIRST_COMMENT"):
        # Lower() = lower(email), not iexact, so the comment_guest_email index answers it.
        mine = Comment.objects.alias(email_lower=Lower("author_email")).filter(
            user__isnull=True, email_lower=Lower(Value(email))
        )
    elif email:
        return {"approved": 0, "rejected": 0, "total": None}
    else:
        return {"approved": 0, "rejected": 0, "total": 0}
    return mine.aggregate(
        approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        rejected=Count("pk", filter=Q(status__in=(Comment.Status.REJECTED, Comment.Status.SPAM))),
        total=Count("pk"),
    )
