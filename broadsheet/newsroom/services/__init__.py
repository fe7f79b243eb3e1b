"""Every write to the newsroom: keyword-only, validated first, one transaction each."""

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.services.articles import (
    BylineSpec,
    article_bylines_set,
    article_create,
    article_credits_set,
    article_delete,
    article_update,
)
from broadsheet.newsroom.services.corrections import (
    correction_add,
    correction_delete,
    correction_update,
)
from broadsheet.newsroom.services.filing import (
    section_create,
    section_delete,
    section_get_or_create,
    section_name_check,
    section_update,
    source_create,
    source_delete,
    source_get_or_create,
    source_update,
    tag_create,
    tag_delete,
    tag_get_or_create,
    tag_name_check,
    tag_update,
)
from broadsheet.newsroom.services.images import image_create, image_delete, image_update
from broadsheet.newsroom.services.workflow import (
    article_publish,
    article_schedule,
    article_unpublish,
)

__all__ = [
    "KEEP",
    "BylineSpec",
    "Unchanged",
    "article_bylines_set",
    "article_create",
    "article_credits_set",
    "article_delete",
    "article_publish",
    "article_schedule",
    "article_unpublish",
    "article_update",
    "correction_add",
    "correction_delete",
    "correction_update",
    "image_create",
    "image_delete",
    "image_update",
    "section_create",
    "section_delete",
    "section_get_or_create",
    "section_name_check",
    "section_update",
    "source_create",
    "source_delete",
    "source_get_or_create",
    "source_update",
    "tag_create",
    "tag_delete",
    "tag_get_or_create",
    "tag_name_check",
    "tag_update",
]
