"""Which wire items tell the same story: TF-IDF cosine on headline and lead."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from broadsheet.ingest.models import WireGroup, WireItem
from broadsheet.ingest.wire.similarity import best_match, story_text


def wire_item_group(*, item: WireItem) -> WireGroup:
    """Put a new item in the story group of the most similar recent item from another source.

    An item like no other starts a group of its own: a group is a story, told by one agency
    or several.
    """
    since = timezone.now() - timedelta(hours=settings.WIRE_GROUP_HOURS)
    candidates = list(
        WireItem.objects.filter(
            fetched_at__gte=since, group__isnull=False, group__merged_into__isnull=True
        )
        .exclude(pk=item.pk)
        .exclude(feed__source_id=item.feed.source_id)
        .select_related("group")
        .order_by("-fetched_at", "-id")[:500]
    )
    match = best_match(
        story_text(item.headline, item.lead),
        [story_text(c.headline, c.lead) for c in candidates],
    )
    with transaction.atomic():
        if match is not None and match[1] >= settings.WIRE_GROUP_THRESHOLD:
            # Candidates are filtered on having an unmerged group.
            group = cast(WireGroup, candidates[match[0]].group)
            item.data = {**item.data, "group_score": round(match[1], 3)}
        else:
            group = WireGroup.objects.create()
        item.group = group
        item.save(update_fields=["group", "data"])
    return group
