"""Custom signals other apps may react to (connected in their AppConfig.ready())."""

from django.dispatch import Signal

# Sent after the transaction that stored a comment commits; kwargs: comment.
comment_posted = Signal()
# Sent after a comment's status or text changed (edit, delete, moderation); kwargs: comment.
comment_changed = Signal()
