"""Topics: the editors' list of names, and the topics suggested for and decided on articles.

Suggestions come from elsewhere (the search app reads the article's text); this module only
stores them, so that an editor's decision (confirmed, dropped) survives every recomputation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.core.unchanged import KEEP, Unchanged
from broadsheet.newsroom.models import Article, ArticleTopic, Topic
from broadsheet.newsroom.services._common import require_text, slug_check, unique_slug

NAME_MAX = Topic._meta.get_field("name").max_length or 120


@dataclass(frozen=True)
class TopicSuggestion:
    """A name the article's text mentions, as the topic finder proposes it."""

    name: str
    kind: str
    mentions: int
    origin: str = ArticleTopic.Origin.MODEL
    # Set when the name matched a topic on the editors' list: that topic, whatever the spelling.
    topic_id: int | None = None


@dataclass(frozen=True)
class TopicsSuggested:
    """What storing an article's suggestions did."""

    article_topics: list[ArticleTopic]
    added: int
    removed: int


def _spaces(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def _new_slug(name: str) -> str:
    # A name in another script has no ASCII slug: it gets a numbered "topic" one instead.
    return unique_slug(base=name if slugify(name) else "topic", model=Topic)


def _kind_check(kind: str) -> str:
    if kind not in Topic.Kind.values:
        choices = ", ".join(Topic.Kind.values)
        raise ValidationError({"kind": f"Unknown kind {kind!r}: use one of {choices}."})
    return kind


def _aliases_clean(aliases: str, *, name: str) -> list[str]:
    # One spelling per line, each once; the topic's own name is not an alias of itself.
    seen = {name.casefold()}
    kept: list[str] = []
    for line in (aliases or "").splitlines():
        alias = _spaces(line)
        if not alias or alias.casefold() in seen:
            continue
        if len(alias) > NAME_MAX:
            raise ValidationError(
                {"aliases": f"The alias {alias[:40]!r}... is longer than {NAME_MAX} characters."}
            )
        seen.add(alias.casefold())
        kept.append(alias)
    return kept


def topic_name_check(*, name: str, topic: Topic | None = None) -> str:
    """Return a topic name an editor typed, refusing an empty, overlong or taken one."""
    name = require_text("name", _spaces(name), "A topic's name", limit=NAME_MAX)
    rows = Topic.objects.filter(name__iexact=name)
    if topic is not None and topic.pk:
        rows = rows.exclude(pk=topic.pk)
    if rows.exists():
        raise ValidationError({"name": f"A topic called {name!r} already exists."})
    return name


def topic_names_check(
    *, name: str, aliases: str, listed: bool, topic: Topic | None = None
) -> tuple[str, str]:
    """Return a topic's name and aliases cleaned, refusing a spelling another listed topic has."""
    name = topic_name_check(name=name, topic=topic)
    kept = _aliases_clean(aliases, name=name)
    if listed:
        # On the editors' list a spelling must point at one topic, or the text cannot say which.
        taken: dict[str, str] = {}
        others = Topic.objects.filter(listed=True)
        if topic is not None and topic.pk:
            others = others.exclude(pk=topic.pk)
        for other in others.only("name", "aliases"):
            for spelling in (other.name, *other.alias_list):
                taken.setdefault(_spaces(spelling).casefold(), other.name)
        if name.casefold() in taken:
            owner = taken[name.casefold()]
            raise ValidationError({"name": f"{name!r} is already a spelling of {owner!r}."})
        for alias in kept:
            if alias.casefold() in taken:
                owner = taken[alias.casefold()]
                raise ValidationError(
                    {"aliases": f"{alias!r} is already a spelling of {owner!r} on the list."}
                )
    return name, "\n".join(kept)


def topic_create(
    *,
    name: str,
    slug: str = "",
    kind: str = Topic.Kind.OTHER,
    listed: bool = False,
    aliases: str = "",
    description: str = "",
) -> Topic:
    """Create a topic; without a slug, one is made from its name."""
    name, aliases = topic_names_check(name=name, aliases=aliases, listed=listed)
    _kind_check(kind)
    with transaction.atomic():
        if slug:
            slug = slug_check(slug=slug, model=Topic)
        return Topic.objects.create(
            name=name,
            slug=slug or _new_slug(name),
            kind=kind,
            listed=listed,
            aliases=aliases,
            description=description.strip(),
        )


def topic_update(
    *,
    topic: Topic,
    name: str | Unchanged = KEEP,
    slug: str | Unchanged = KEEP,
    kind: str | Unchanged = KEEP,
    listed: bool | Unchanged = KEEP,
    aliases: str | Unchanged = KEEP,
    description: str | Unchanged = KEEP,
) -> Topic:
    """Rename a topic, change its slug, kind, aliases or description, or put it on the list."""
    with transaction.atomic():
        stored = Topic.objects.select_for_update().get(pk=topic.pk)
        if name is not KEEP or aliases is not KEEP or listed is not KEEP:
            stored.listed = stored.listed if listed is KEEP else listed
            stored.name, stored.aliases = topic_names_check(
                name=stored.name if name is KEEP else name,
                aliases=stored.aliases if aliases is KEEP else aliases,
                listed=stored.listed,
                topic=stored,
            )
        if slug is not KEEP:
            stored.slug = slug_check(slug=slug, model=Topic, exclude_pk=stored.pk)
        if kind is not KEEP:
            stored.kind = _kind_check(kind)
        if description is not KEEP:
            stored.description = description.strip()
        stored.save()
    return stored


def topic_delete(*, topic: Topic) -> None:
    """Delete a topic: its page goes, and it is no longer suggested or shown on any article."""
    with transaction.atomic():
        topic.delete()


def _topic_for(suggestion: TopicSuggestion) -> Topic:
    """The topic a suggestion names: the listed one it matched, one spelled alike, or a new one."""
    if suggestion.topic_id is not None:
        listed = Topic.objects.filter(pk=suggestion.topic_id).first()
        if listed is not None:
            return listed
    name = require_text("name", _spaces(suggestion.name), "A topic's name", limit=NAME_MAX)
    existing = Topic.objects.filter(name__iexact=name).first()
    if existing is not None:
        # A topic an editor already knows keeps its kind and spelling.
        return existing
    _kind_check(suggestion.kind)
    try:
        with transaction.atomic():
            return Topic.objects.create(name=name, slug=_new_slug(name), kind=suggestion.kind)
    except IntegrityError:
        # Another article's suggestions made the same topic a moment ago.
        return Topic.objects.get(name__iexact=name)


def _orphans_delete(topic_ids: set[int]) -> None:
    # Unlisted topics that only ever were a suggestion go with it, so stale guesses
    # do not pile up; a topic an editor described or listed stays.
    Topic.objects.filter(
        pk__in=topic_ids, listed=False, description="", article_topics__isnull=True
    ).delete()


def article_topics_suggest(
    *, article: Article, suggestions: Sequence[TopicSuggestion]
) -> TopicsSuggested:
    """Store the article's suggested topics; confirmed and dropped ones keep the editor's word."""
    for suggestion in suggestions:
        if suggestion.mentions < 0:
            raise ValidationError({"mentions": "A topic cannot be mentioned fewer than 0 times."})
        if suggestion.origin not in ArticleTopic.Origin.values:
            raise ValidationError({"origin": f"Unknown origin {suggestion.origin!r}."})
    with transaction.atomic():
        # One recomputation of an article at a time: two would both add, or both remove.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        existing = {
            row.topic_id: row
            for row in ArticleTopic.objects.select_for_update().filter(article=article)
        }
        kept: dict[int, ArticleTopic] = {}
        added = 0
        for suggestion in suggestions:
            topic = _topic_for(suggestion)
            if topic.pk in kept:
                # Two spellings that turned out to be one topic: their mentions add up.
                row = kept[topic.pk]
                row.mentions += suggestion.mentions
                row.save(update_fields=["mentions"])
                continue
            row = existing.get(topic.pk) or ArticleTopic(article=article, topic=topic)
            if row.pk is None:
                added += 1
            row.topic = topic
            row.mentions = suggestion.mentions
            if row.status == ArticleTopic.Status.SUGGESTED:
                row.origin = suggestion.origin
            row.save()
            kept[topic.pk] = row
        stale = [
            row
            for topic_id, row in existing.items()
            if topic_id not in kept and row.status == ArticleTopic.Status.SUGGESTED
        ]
        ArticleTopic.objects.filter(pk__in=[row.pk for row in stale]).delete()
        _orphans_delete({row.topic_id for row in stale})
    return TopicsSuggested(article_topics=list(kept.values()), added=added, removed=len(stale))


def _decide(article_topic: ArticleTopic, status: str) -> ArticleTopic:
    with transaction.atomic():
        stored = (
            ArticleTopic.objects.select_for_update()
            .select_related("topic")
            .get(pk=article_topic.pk)
        )
        if stored.status != status:
            stored.status = status
            stored.decided_at = timezone.now()
            stored.save(update_fields=["status", "decided_at"])
    return stored


def article_topic_confirm(*, article_topic: ArticleTopic) -> ArticleTopic:
    """Confirm a topic for its article: the article appears on the topic's page and feed."""
    return _decide(article_topic, ArticleTopic.Status.CONFIRMED)


def article_topic_drop(*, article_topic: ArticleTopic) -> ArticleTopic:
    """Drop a topic from its article; it stays dropped when suggestions are recomputed."""
    return _decide(article_topic, ArticleTopic.Status.DROPPED)


def article_topic_add(*, article: Article, topic: Topic) -> ArticleTopic:
    """Put a topic on an article by an editor's hand: confirmed at once."""
    with transaction.atomic():
        row = ArticleTopic.objects.select_for_update().filter(article=article, topic=topic).first()
        if row is None:
            try:
                with transaction.atomic():
                    return ArticleTopic.objects.create(
                        article=article,
                        topic=topic,
                        status=ArticleTopic.Status.CONFIRMED,
                        origin=ArticleTopic.Origin.EDITOR,
                        decided_at=timezone.now(),
                    )
            except IntegrityError:
                # The suggestions were stored meanwhile: confirm the row they made.
                row = ArticleTopic.objects.select_for_update().get(article=article, topic=topic)
    return article_topic_confirm(article_topic=row)
