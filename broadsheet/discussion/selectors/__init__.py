"""Reads that need more than one filter: thread pages and permalinks, the staff queue.

Import from here: `from broadsheet.discussion.selectors import thread_page`.
"""

from broadsheet.discussion.selectors._paging import PageNavigation
from broadsheet.discussion.selectors.queue import (
    DEFAULT_QUEUE_TAB,
    QUEUE_PER_PAGE,
    QUEUE_TABS,
    QueueItem,
    QueuePage,
    moderation_queue,
    queue_counts,
    queue_pending_count,
    queue_tab_clean,
    queue_tab_q,
)
from broadsheet.discussion.selectors.threads import (
    ANONYMOUS,
    DEFAULT_SORT,
    FEATURED_MAX,
    PLACEHOLDERS,
    SORT_LABELS,
    SORTS,
    CommentNode,
    ThreadPage,
    Viewer,
    comment_counts_for_keys,
    comment_counts_for_urls,
    comment_is_visible,
    comment_page_number,
    page_number_clean,
    sort_clean,
    thread_for_key,
    thread_page,
)

__all__ = [
    "ANONYMOUS",
    "DEFAULT_QUEUE_TAB",
    "DEFAULT_SORT",
    "FEATURED_MAX",
    "PLACEHOLDERS",
    "QUEUE_PER_PAGE",
    "QUEUE_TABS",
    "SORTS",
    "SORT_LABELS",
    "CommentNode",
    "PageNavigation",
    "QueueItem",
    "QueuePage",
    "ThreadPage",
    "Viewer",
    "comment_counts_for_keys",
    "comment_counts_for_urls",
    "comment_is_visible",
    "comment_page_number",
    "moderation_queue",
    "page_number_clean",
    "queue_counts",
    "queue_pending_count",
    "queue_tab_clean",
    "queue_tab_q",
    "sort_clean",
    "thread_for_key",
    "thread_page",
]
