"""Authors' public profiles: made for staff with bylines, changed by editors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.models import Author, Image
from broadsheet.newsroom.services._common import slug_check, unique_slug


def author_ensure(*, user: Any) -> Author:
    """Return the user's author profile, making one (slug from the username) the first time."""
    existing = Author.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Author.objects.create(
                user=user,
                # As WordPress does: "mara.lindqvist" is /author/mara-lindqvist/.
                slug=unique_slug(base=user.username.replace(".", "-"), model=Author),
                bio=getattr(user, "bio", ""),
            )
    except IntegrityError:
        # Two bylines for the same new writer saved at once: the other one made it.
        return Author.objects.get(user=user)


def author_update(
    *,
    author: Author,
    slug: str | Unchanged = KEEP,
    role: str | Unchanged = KEEP,
    bio: str | Unchanged = KEEP,
    photo: Image | None | Unchanged = KEEP,
) -> Author:
    """Change an author's page: address, role, biography or photo."""
    with transaction.atomic():
        stored = Author.objects.select_for_update().get(pk=author.pk)
        if slug is not KEEP and slug != stored.slug:
            stored.slug = slug_check(slug=slug, model=Author, exclude_pk=stored.pk)
        if role is not KEEP:
            if len(role.strip()) > 120:
                raise ValidationError({"role": "The role is longer than 120 characters."})
            stored.role = role.strip()
        if bio is not KEEP:
            stored.bio = bio.strip()
        if photo is not KEEP:
            stored.photo = photo
        stored.save()
    return stored


def author_delete(*, author: Author) -> None:
    """Delete an author's page; their bylines stay, printed without a link."""
    with transaction.atomic():
        author.delete()
