"""What the newsroom's services share: slugs, required text, the "keep this field" marker."""

from __future__ import annotations

from typing import TypeAlias

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.text import slugify

from broadsheet.newsroom.models import Article, Author, Section, Tag, Topic

# The models with a slug of their own in URLs.
SlugModel: TypeAlias = type[Article] | type[Section] | type[Tag] | type[Author] | type[Topic]


def slug_max(model: SlugModel) -> int:
    """Return the model's slug length (each model declares its own)."""
    return model._meta.get_field("slug").max_length or 50


def unique_slug(*, base: str, model: SlugModel, exclude_pk: int | None = None) -> str:
    """Return a slug from `base` that no other row of `model` uses (adds -2, -3 ...)."""
    limit = slug_max(model)
    root = slugify(base)[:limit].strip("-") or "article"
    rows = model._default_manager.all()
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    candidate, n = root, 1
    while rows.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        # Shorten the root, not the suffix, so a long headline's slug still fits its column.
        candidate = root[: limit - len(suffix)].rstrip("-") + suffix
    return candidate


def slug_check(*, slug: str, model: SlugModel, exclude_pk: int | None = None) -> str:
    """Return a slug an editor typed, refusing a malformed, overlong or taken one."""
    slug = slug.strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise ValidationError(
            {"slug": "Use only letters, numbers, hyphens and underscores in the slug."}
        ) from None
    if len(slug) > slug_max(model):
        raise ValidationError({"slug": f"The slug is longer than {slug_max(model)} characters."})
    rows = model._default_manager.filter(slug=slug)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    if rows.exists():
        name = model._meta.verbose_name
        raise ValidationError({"slug": f"The slug {slug!r} is already used by another {name}."})
    return slug


def require_text(field: str, value: str, label: str, *, limit: int | None = None) -> str:
    """Return `value` stripped, refusing an empty one (or one over `limit`) by `label`."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"{label} cannot be empty."})
    if limit is not None and len(value) > limit:
        # Said here, not left to the database: PostgreSQL refuses it, SQLite would keep it all.
        raise ValidationError(
            {field: f"{label} is {len(value):,} characters long; the limit is {limit:,}."}
        )
    return value
