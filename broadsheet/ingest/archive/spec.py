"""What a site archive holds: each row type, its model, and the natural key a merge matches on.

Types are listed parents first, so a load meets every row a foreign key names before the row.
Left out, because each is derived and remade from what is kept: image renditions (run
`broadsheet image_renditions`), the search index (`broadsheet search_reindex`), the trained spam
model (signed with the old site's secret key, so useless elsewhere; retrained from the
training examples), rate-limit counters, sessions and the task queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models

from broadsheet.discussion.models import Comment, CommentFlag, Subscription, Thread
from broadsheet.ingest.models import LegacyURL, Linkback, WireFeed, WireGroup, WireItem
from broadsheet.moderation.models import AuditEntry, Ban, ContextPolicy, TrainingExample, WordRule
from broadsheet.newsroom.models import (
    Article,
    ArticleTopic,
    Author,
    Byline,
    Correction,
    Credit,
    Image,
    Section,
    Source,
    Tag,
    Topic,
)

FORMAT = "broadsheet-site"
VERSION = 1


@dataclass(frozen=True)
class RowType:
    """One kind of row in the archive."""

    name: str
    model: type[models.Model]
    # Fields (after foreign keys are mapped to this site's rows) that name the same row on
    # another site: a merge updates the row they find and adds the others.
    natural_key: tuple[str, ...]
    many_to_many: tuple[str, ...] = ()
    secret_fields: tuple[str, ...] = field(default=())


def row_types() -> list[RowType]:
    """Every row type, parents before the rows that point at them."""
    return [
        RowType("user", get_user_model(), ("username",), secret_fields=("password",)),
        RowType("section", Section, ("slug",)),
        RowType("tag", Tag, ("slug",)),
        RowType("source", Source, ("name",)),
        RowType("image", Image, ("file", "caption", "import_key")),
        RowType("author", Author, ("user",)),
        RowType("topic", Topic, ("slug",)),
        RowType("article", Article, ("slug",), many_to_many=("tags",)),
        RowType("article_topic", ArticleTopic, ("article", "topic")),
        RowType("byline", Byline, ("article", "position", "name", "user")),
        RowType("credit", Credit, ("article", "source")),
        RowType("correction", Correction, ("article", "noted_at", "kind")),
        RowType("legacy_url", LegacyURL, ("path",)),
        RowType("linkback", Linkback, ("import_key",)),
        RowType("thread", Thread, ("key",)),
        # Not the path: it was numbered on the other site, where this thread may differ.
        RowType("comment", Comment, ("thread", "created_at", "author_name", "body")),
        RowType("subscription", Subscription, ("thread", "email")),
        RowType("comment_flag", CommentFlag, ("comment", "reporter_key", "kind")),
        RowType("word_rule", WordRule, ("word",)),
        RowType("ban", Ban, ("user", "email", "ip_hash", "created_at")),
        RowType("context_policy", ContextPolicy, ("key",)),
        RowType("training_example", TrainingExample, ("object_key", "text")),
        RowType("audit_entry", AuditEntry, ("action", "object_key", "created_at")),
        RowType("wire_feed", WireFeed, ("source", "url")),
        RowType("wire_group", WireGroup, ("created_at",)),
        RowType("wire_item", WireItem, ("feed", "guid")),
    ]


def row_type_named(name: str) -> RowType | None:
    """The row type an archive line names, or None."""
    return next((kind for kind in row_types() if kind.name == name), None)
