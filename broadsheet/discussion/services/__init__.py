"""Every write to threads, comments and subscriptions: keyword-only, one transaction each.

One module per family of actions; import from here: `services.comment_post(...)`.
"""

from broadsheet.core.ids import pk_parse
from broadsheet.discussion.services.editing import (
    comment_delete,
    comment_edit,
    comment_edit_deadline,
    comment_staff_edit,
)
from broadsheet.discussion.services.importing import (
    BulkComment,
    ImportedText,
    ImportJudgement,
    comment_bulk_import,
    comment_import,
    imported_comments_judge,
)
from broadsheet.discussion.services.moderating import (
    BAN_DURATION_LABELS,
    BAN_DURATIONS,
    BAN_TARGETS,
    MODERATION_ACTIONS,
    comment_author_ban,
    comment_feature,
    comment_moderate,
    comment_remove,
    comment_status_set,
    comments_moderate,
)
from broadsheet.discussion.services.posting import CommentPosted, comment_post
from broadsheet.discussion.services.reports import comment_report
from broadsheet.discussion.services.subscriptions import (
    subscription_cancel,
    subscription_confirm,
    subscription_request,
)
from broadsheet.discussion.services.threads import (
    thread_close,
    thread_closing_schedule,
    thread_get_or_create,
    thread_recount,
    thread_sync,
)

__all__ = [
    "BAN_DURATIONS",
    "BAN_DURATION_LABELS",
    "BAN_TARGETS",
    "MODERATION_ACTIONS",
    "BulkComment",
    "ImportJudgement",
    "ImportedText",
    "imported_comments_judge",
    "CommentPosted",
    "comment_author_ban",
    "comment_bulk_import",
    "comment_delete",
    "comment_edit",
    "comment_edit_deadline",
    "comment_feature",
    "comment_import",
    "comment_moderate",
    "comment_post",
    "comment_remove",
    "comment_report",
    "comment_staff_edit",
    "comment_status_set",
    "comments_moderate",
    "pk_parse",
    "subscription_cancel",
    "subscription_confirm",
    "subscription_request",
    "thread_close",
    "thread_closing_schedule",
    "thread_get_or_create",
    "thread_recount",
    "thread_sync",
]
