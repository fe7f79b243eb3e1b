"""Where stories are filed and whom they credit: sections, tags and wire sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.models import Section, Source, Tag
from broadsheet.newsroom.services._common import (
    require_text,
    slug_check,
    unique_slug,
)


def _name_free(model: type[Section | Tag], name: str, *, exclude_pk: int | None = None) -> str:
    # Sections and tags are found by name ignoring case, so two spellings would be one.
    rows = model.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    if rows.exists():
        raise ValidationError(
            {"name": f"A {model._meta.verbose_name} called {name!r} already exists."}
        )
    return name


def section_name_check(*, name: str, section: Section | None = None) -> str:
    """Return a section name an editor typed, refusing an empty one or one in use."""
    name = require_text("name", name, "A section name")
    return _name_free(Section, name, exclude_pk=section.pk if section else None)


def tag_name_check(*, name: str, tag: Tag | None = None) -> str:
    """Return a tag name an editor typed, refusing an empty one or one in use."""
    return _name_free(
        Tag, require_text("name", name, "A tag name"), exclude_pk=tag.pk if tag else None
    )


def section_get_or_create(*, name: str) -> Section:
    """Return the section called `name`, creating it with a slug when new."""
    name = require_text("name", name, "A section name")
    with transaction.atomic():
        section = Section.objects.filter(name__iexact=name).first()
        if section is None:
            section = Section.objects.create(name=name, slug=unique_slug(base=name, model=Section))
    return section


def section_create(
    *, name: str, slug: str = "", description: str = "", position: int = 0
) -> Section:
    """Create a section; without a slug, one is made from its name."""
    name = section_name_check(name=name)
    with transaction.atomic():
        return Section.objects.create(
            name=name,
            slug=slug_check(slug=slug, model=Section)
            if slug
            else unique_slug(base=name, model=Section),
            description=description.strip(),
            position=position,
        )


def section_update(
    *,
    section: Section,
    name: str | Unchanged = KEEP,
    slug: str | Unchanged = KEEP,
    description: str | Unchanged = KEEP,
    position: int | Unchanged = KEEP,
) -> Section:
    """Rename a section, change its slug, description or place in the navigation."""
    with transaction.atomic():
        stored = Section.objects.select_for_update().get(pk=section.pk)
        if name is not KEEP:
            stored.name = section_name_check(name=name, section=stored)
        if slug is not KEEP:
            stored.slug = slug_check(slug=slug, model=Section, exclude_pk=stored.pk)
        if description is not KEEP:
            stored.description = description.strip()
        if position is not KEEP:
            stored.position = position
        stored.save()
    return stored


def section_delete(*, section: Section) -> None:
    """Delete a section; its articles stay, filed under no section."""
    with transaction.atomic():
        section.delete()


def tag_get_or_create(*, name: str) -> Tag:
    """Return the tag called `name`, creating it with a slug when new."""
    name = require_text("name", name, "A tag name")
    with transaction.atomic():
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=unique_slug(base=name, model=Tag))
    return tag


def tag_create(*, name: str, slug: str = "") -> Tag:
    """Create a tag; without a slug, one is made from its name."""
    name = tag_name_check(name=name)
    with transaction.atomic():
        return Tag.objects.create(
            name=name,
            slug=slug_check(slug=slug, model=Tag) if slug else unique_slug(base=name, model=Tag),
        )


def tag_update(*, tag: Tag, name: str | Unchanged = KEEP, slug: str | Unchanged = KEEP) -> Tag:
    """Rename a tag or change its slug."""
    with transaction.atomic():
        stored = Tag.objects.select_for_update().get(pk=tag.pk)
        if name is not KEEP:
            stored.name = tag_name_check(name=name, tag=stored)
        if slug is not KEEP:
            stored.slug = slug_check(slug=slug, model=Tag, exclude_pk=stored.pk)
        stored.save()
    return stored


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag; the articles it labelled lose only the label."""
    with transaction.atomic():
        tag.delete()


def _source_name_free(name: str, *, exclude_pk: int | None = None) -> str:
    rows = Source.objects.filter(name=name)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    if rows.exists():
        raise ValidationError({"name": f"A source called {name!r} already exists."})
    return name


def source_get_or_create(*, credit_name: str, name: str = "") -> Source:
    """Return the wire source printed as `credit_name` (e.g. "AP"), creating it when new."""
    credit_name = require_text("credit_name", credit_name, "A source's credit name")
    name = name.strip() or credit_name
    with transaction.atomic():
        # A source whose name is the credit (a "REUTERS" typed in by hand, credited "Reuters")
        # is the same source: creating another would also break the unique name.
        source = (
            Source.objects.filter(credit_name__iexact=credit_name).order_by("id").first()
            or Source.objects.filter(name=name).first()
        )
        if source is None:
            source = Source.objects.create(name=name, credit_name=credit_name)
    return source


def source_create(*, name: str, credit_name: str, url: str = "", feed_url: str = "") -> Source:
    """Add a wire service or outlet to credit."""
    name = _source_name_free(require_text("name", name, "A source's name"))
    credit_name = require_text("credit_name", credit_name, "A source's credit name")
    with transaction.atomic():
        return Source.objects.create(
            name=name, credit_name=credit_name, url=url.strip(), feed_url=feed_url.strip()
        )


def source_update(
    *,
    source: Source,
    name: str | Unchanged = KEEP,
    credit_name: str | Unchanged = KEEP,
    url: str | Unchanged = KEEP,
    feed_url: str | Unchanged = KEEP,
) -> Source:
    """Change a source's name, how credit lines print it, or its addresses."""
    with transaction.atomic():
        stored = Source.objects.select_for_update().get(pk=source.pk)
        if name is not KEEP:
            stored.name = _source_name_free(
                require_text("name", name, "A source's name"), exclude_pk=stored.pk
            )
        if credit_name is not KEEP:
            stored.credit_name = require_text("credit_name", credit_name, "A source's credit name")
        if url is not KEEP:
            stored.url = url.strip()
        if feed_url is not KEEP:
            stored.feed_url = feed_url.strip()
        stored.save()
    return stored


def source_delete(*, source: Source) -> None:
    """Delete a source no article credits (a credited one is protected)."""
    with transaction.atomic():
        source.delete()
