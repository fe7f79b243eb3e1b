"""Merging a group: agencies' paragraphs side by side, then one draft crediting them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.ingest.models import WireGroup, WireItem
from broadsheet.ingest.seed_format import NEAR_DUPLICATE_RATIO, caption_similarity
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.models import Article, Source


@dataclass(frozen=True)
class NearDuplicate:
    """Two texts from different items that say nearly the same thing."""

    first: tuple[int, int]  # (item id, index)
    second: tuple[int, int]
    similarity: float


@dataclass(frozen=True)
class ReviewItem:
    """One agency's version as the editor compares it."""

    item: WireItem
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]


@dataclass(frozen=True)
class GroupReview:
    """A group laid out for merging: items, and the near-duplicates between them."""

    group: WireGroup
    items: tuple[ReviewItem, ...]
    paragraph_duplicates: tuple[NearDuplicate, ...]
    caption_duplicates: tuple[NearDuplicate, ...]

    def flagged_paragraphs(self) -> set[tuple[int, int]]:
        """Every (item id, index) that has a near-duplicate in another item."""
        return {key for d in self.paragraph_duplicates for key in (d.first, d.second)}

    def flagged_captions(self) -> set[tuple[int, int]]:
        """Every (item id, caption index) that has a near-duplicate in another item."""
        return {key for d in self.caption_duplicates for key in (d.first, d.second)}


@dataclass(frozen=True)
class GroupMerged:
    """The draft a merge made, and what the editor was warned about."""

    article: Article
    near_duplicate_paragraphs: tuple[tuple[int, int], ...]  # positions in the merged body
    captions_near_duplicate: bool
    caption_similarity: float


def item_paragraphs(item: WireItem) -> tuple[str, ...]:
    """An item's body as its Markdown paragraphs."""
    return tuple(block.strip() for block in item.body.split("\n\n") if block.strip())


def _near_duplicates(texts: Sequence[tuple[WireItem, int, str]]) -> tuple[NearDuplicate, ...]:
    """Pairs of texts from different sources alike enough to be one text in two wordings."""
    found = []
    for i, (item_a, index_a, text_a) in enumerate(texts):
        for item_b, index_b, text_b in texts[i + 1 :]:
            if item_a.feed.source_id == item_b.feed.source_id:
                continue
            score = caption_similarity(text_a, text_b)
            if score >= NEAR_DUPLICATE_RATIO:
                found.append(
                    NearDuplicate(
                        first=(item_a.pk, index_a),
                        second=(item_b.pk, index_b),
                        similarity=round(score, 3),
                    )
                )
    return tuple(found)


def _group_items(group: WireGroup) -> list[WireItem]:
    return list(
        WireItem.objects.filter(group=group)
        .select_related("feed__source", "article")
        .order_by("fetched_at", "id")
    )


def wire_group_review(*, group: WireGroup) -> GroupReview:
    """Lay a group's items side by side with their near-duplicate paragraphs and captions."""
    items = _group_items(group)
    review = tuple(
        ReviewItem(item=item, paragraphs=item_paragraphs(item), captions=tuple(item.captions))
        for item in items
    )
    paragraphs = [(r.item, i, text) for r in review for i, text in enumerate(r.paragraphs)]
    captions = [(r.item, i, text) for r in review for i, text in enumerate(r.captions)]
    return GroupReview(
        group=group,
        items=review,
        paragraph_duplicates=_near_duplicates(paragraphs),
        caption_duplicates=_near_duplicates(captions),
    )


def _credits(items: list[WireItem], chosen: list[WireItem]) -> list[Source]:
    """Every agency in the group: those whose paragraphs come first lead the credit line."""
    ordered: dict[int, Source] = {}
    for item in [*chosen, *items]:
        ordered.setdefault(item.feed.source_id, item.feed.source)
    return list(ordered.values())


def _captions(items_in_order: list[WireItem]) -> tuple[str, str, bool, float]:
    """The photo's caption and, when another agency worded it nearly alike, its second wording."""
    captions = [(item, text) for item in items_in_order for text in item.captions if text]
    if not captions:
        return "", "", False, 0.0
    best: tuple[float, str, str] | None = None
    for i, (item_a, text_a) in enumerate(captions):
        for item_b, text_b in captions[i + 1 :]:
            if item_a.feed.source_id == item_b.feed.source_id:
                continue
            score = caption_similarity(text_a, text_b)
            if score >= NEAR_DUPLICATE_RATIO and (best is None or score > best[0]):
                best = (score, text_a, text_b)
    if best is None:
        return captions[0][1], "", False, 0.0
    return best[1], best[2], True, round(best[0], 3)


def _latest(times: Sequence[datetime | None]) -> datetime | None:
    present = [t for t in times if t is not None]
    return max(present) if present else None


def wire_group_merge(
    *,
    group: WireGroup,
    paragraphs: Sequence[tuple[int, int]],
    headline: str | None = None,
    editor: Any,
) -> GroupMerged:
    """Merge a group into one draft: the chosen paragraphs in order, every agency credited."""
    if editor is None or not editor.has_perm("newsroom.add_article"):
        raise PermissionDenied("Only editors can merge wire stories.")
    if not paragraphs:
        raise ValidationError({"paragraphs": "Choose at least one paragraph."})
    with transaction.atomic():
        group = WireGroup.objects.select_for_update().get(pk=group.pk)
        if group.merged_into_id is not None:
            raise ValidationError({"group": "This group has already been merged."})
        items = _group_items(group)
        by_id = {item.pk: (item, item_paragraphs(item)) for item in items}
        blocks: list[str] = []
        picked: list[tuple[WireItem, int, str]] = []
        for item_id, index in paragraphs:
            if item_id not in by_id:
                raise ValidationError({"paragraphs": f"Item {item_id} is not in this group."})
            item, texts = by_id[item_id]
            if not 0 <= index < len(texts):
                raise ValidationError(
                    {"paragraphs": f"Item {item_id} has no paragraph {index + 1}."}
                )
            picked.append((item, len(blocks), texts[index]))
            blocks.append(texts[index])
        chosen = [item for item, _, _ in picked]
        lead_item = chosen[0]
        first_seen = list(dict.fromkeys([*chosen, *items]))
        caption, second, near, score = _captions(first_seen)
        image = None
        if caption:
            image = newsroom.image_create(
                caption=caption, second_caption=second, captions_near_duplicate=near
            )
        article = newsroom.article_create(
            headline=(headline or "").strip() or lead_item.headline,
            dek=lead_item.lead,
            body="\n\n".join(blocks),
            sources=_credits(items, chosen),
            lead_image=image,
            original_url=lead_item.link,
            # The latest embargo of any agency binds the merged story.
            embargo_until=_latest([item.embargo_until for item in items]),
        )
        now = timezone.now()
        group.merged_into = article
        group.merged_at = now
        group.save(update_fields=["merged_into", "merged_at"])
        for item in items:
            item.data = {**item.data, "merged_into": article.pk, "merged_by": editor.pk}
            item.save(update_fields=["data"])
        duplicates = _near_duplicates([(item, pos, text) for item, pos, text in picked])
    return GroupMerged(
        article=article,
        near_duplicate_paragraphs=tuple((d.first[1], d.second[1]) for d in duplicates),
        captions_near_duplicate=near,
        caption_similarity=score,
    )
