"""The reader's browser session: who they are, and the comments it holds edit tokens for."""

from __future__ import annotations

from django.http import HttpRequest

from broadsheet.discussion.models import Comment
from broadsheet.discussion.permissions import can_moderate
from broadsheet.discussion.security import comment_token_valid
from broadsheet.discussion.selectors import Viewer

SESSION_TOKENS = "discussion_tokens"
# A browser remembers its most recent comments only; older ones are past their edit window.
SESSION_TOKENS_KEPT = 50


def viewer_for(request: HttpRequest) -> Viewer:
    """Describe the reader: their account and the comments this browser may edit."""
    user = getattr(request, "user", None)
    tokens = request.session.get(SESSION_TOKENS, {}) if hasattr(request, "session") else {}
    own = frozenset(int(pk) for pk, token in tokens.items() if comment_token_valid(int(pk), token))
    if user is None or not user.is_authenticated:
        return Viewer(own_ids=own)
    return Viewer(user_id=user.pk, own_ids=own, is_moderator=can_moderate(user))


def token_from_session(request: HttpRequest, comment_id: int) -> str | None:
    """Return the edit/delete token this browser holds for a comment."""
    return request.session.get(SESSION_TOKENS, {}).get(str(comment_id))


def comment_remember(request: HttpRequest, comment: Comment, token: str) -> None:
    """Keep the author's token in their session so they can see, edit and delete the comment."""
    tokens = dict(request.session.get(SESSION_TOKENS, {}))
    tokens[str(comment.pk)] = token
    if len(tokens) > SESSION_TOKENS_KEPT:
        for key in sorted(tokens, key=int)[: len(tokens) - SESSION_TOKENS_KEPT]:
            del tokens[key]
    request.session[SESSION_TOKENS] = tokens
