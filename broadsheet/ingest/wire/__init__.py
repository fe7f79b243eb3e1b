"""The wire desk: agencies' feeds polled into draft articles, grouped by story, merged."""

from broadsheet.ingest.wire.feeds import wire_feed_create, wire_feed_delete, wire_feed_update
from broadsheet.ingest.wire.merging import (
    GroupMerged,
    GroupReview,
    wire_group_merge,
    wire_group_review,
)
from broadsheet.ingest.wire.polling import (
    FeedPolled,
    ItemStored,
    backoff_delay,
    wire_feed_poll,
    wire_feeds_due,
    wire_feeds_poll,
    wire_item_store,
    wire_next_due,
    wire_poll_due,
)

__all__ = [
    "FeedPolled",
    "GroupMerged",
    "GroupReview",
    "ItemStored",
    "backoff_delay",
    "wire_feed_create",
    "wire_feed_delete",
    "wire_feed_poll",
    "wire_feed_update",
    "wire_feeds_due",
    "wire_feeds_poll",
    "wire_group_merge",
    "wire_group_review",
    "wire_item_store",
    "wire_next_due",
    "wire_poll_due",
]
