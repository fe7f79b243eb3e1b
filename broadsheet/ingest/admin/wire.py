"""Admin for the wire desk: feeds, incoming items, groups and merging.

Feeds are written through the wire services; items are read-only (the poller writes them);
a group is merged on its own page, where the agencies' paragraphs stand side by side.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from broadsheet.core.admin import ServiceAdmin
from broadsheet.ingest import wire
from broadsheet.ingest.models import WireFeed, WireGroup, WireItem


def _article_link(article_id: int | None, label: str = "") -> str:
    if article_id is None:
        return "—"
    url = reverse("admin:newsroom_article_change", args=[article_id])
    return format_html('<a href="{}">{}</a>', url, label or f"Article {article_id}")


@admin.register(WireFeed)
class WireFeedAdmin(ServiceAdmin):
    """Agencies' feeds: where, how often, and how the last fetch went."""

    list_display = (
        "source",
        "url",
        "format",
        "poll_minutes",
        "active",
        "last_ok_at",
        "next_poll_at",
        "failures",
        "error_shown",
    )
    list_filter = ("active", "format", "source")
    search_fields = ("url", "source__name", "source__credit_name")
    autocomplete_fields = ("source",)
    fields = ("source", "url", "format", "poll_minutes", "active")
    readonly_fields = (
        "last_polled_at",
        "last_ok_at",
        "next_poll_at",
        "failures",
        "last_error",
        "etag",
        "last_modified",
    )
    actions = ("poll_now",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fields(self, request, obj=None):
        return self.fields + (self.readonly_fields if obj else ())

    @admin.display(description="Last error")
    def error_shown(self, obj: WireFeed) -> str:
        return obj.last_error.splitlines()[0][:120] if obj.last_error else "—"

    def create(self, request, data: dict[str, Any]) -> WireFeed:
        return wire.wire_feed_create(
            source=data["source"],
            url=data["url"],
            format=data["format"],
            poll_minutes=data["poll_minutes"],
            active=data["active"],
        )

    def update(self, request, obj: WireFeed, changes: dict[str, Any]) -> WireFeed:
        return wire.wire_feed_update(feed=obj, **changes)

    def remove(self, request, obj: WireFeed) -> None:
        wire.wire_feed_delete(feed=obj)

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request: HttpRequest, queryset) -> None:
        results = wire.wire_feeds_poll(feeds=list(queryset.select_related("source")))
        failed = [r for r in results if not r.ok]
        created = sum(r.created for r in results)
        self.message_user(
            request,
            f"{len(results)} feed(s) polled: {created} new item(s), {len(failed)} failed.",
            messages.WARNING if failed else messages.SUCCESS,
        )


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    """The incoming wire: every agency story as it arrived, with the draft it became."""

    list_display = (
        "headline",
        "credit",
        "original_link",
        "embargo_until",
        "published_at",
        "fetched_at",
        "version",
        "group_link",
        "draft_link",
        "updated_after_edit",
    )
    list_filter = ("feed__source", "fetched_at")
    search_fields = ("headline", "lead", "guid")
    list_select_related = ("feed__source", "group", "article")
    date_hierarchy = "fetched_at"
    readonly_fields = (
        "feed",
        "guid",
        "version",
        "headline",
        "lead",
        "body",
        "captions",
        "link",
        "published_at",
        "source_updated_at",
        "embargo_until",
        "fetched_at",
        "group",
        "draft_link",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # items come from the feeds

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an item is the desk's memory of what the agency sent

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Incoming wire", **(extra_context or {})})

    @admin.display(description="Credit", ordering="feed__source__credit_name")
    def credit(self, obj: WireItem) -> str:
        return obj.feed.source.credit_name

    @admin.display(description="Original")
    def original_link(self, obj: WireItem) -> str:
        if not obj.link:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">link</a>', obj.link)

    @admin.display(description="Group")
    def group_link(self, obj: WireItem) -> str:
        if obj.group_id is None:
            return "—"
        url = reverse("admin:ingest_wiregroup_merge", args=[obj.group_id])
        return format_html('<a href="{}">{}</a>', url, obj.group_id)

    @admin.display(description="Draft")
    def draft_link(self, obj: WireItem) -> str:
        return _article_link(obj.article_id, "draft")

    @admin.display(description="Updated after edit", boolean=True)
    def updated_after_edit(self, obj: WireItem) -> bool:
        return bool(obj.data.get("updated_after_edit"))


@admin.register(WireGroup)
class WireGroupAdmin(admin.ModelAdmin):
    """Stories told by one agency or several; merge one into a single draft."""

    list_display = ("__str__", "created_at", "item_count", "agencies", "merged", "merge_link")
    list_filter = ("merged_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Items", ordering="item_count")
    def item_count(self, obj: WireGroup) -> int:
        return obj.item_count  # type: ignore[attr-defined]

    @admin.display(description="Agencies")
    def agencies(self, obj: WireGroup) -> str:
        names = obj.items.values_list("feed__source__credit_name", flat=True).distinct()
        return "/".join(sorted(names))

    @admin.display(description="Merged into")
    def merged(self, obj: WireGroup) -> str:
        return _article_link(obj.merged_into_id)

    @admin.display(description="")
    def merge_link(self, obj: WireGroup) -> str:
        if obj.merged_into_id:
            return "—"
        url = reverse("admin:ingest_wiregroup_merge", args=[obj.pk])
        return format_html('<a href="{}">Merge…</a>', url)

    def get_urls(self):
        merge = self.admin_site.admin_view(self.merge_view)
        return [
            path("<int:group_id>/merge/", merge, name="ingest_wiregroup_merge"),
            *super().get_urls(),
        ]

    def merge_view(self, request: HttpRequest, group_id: int) -> HttpResponse:
        """The agencies' paragraphs side by side; the chosen ones, in order, become one draft."""
        group = get_object_or_404(WireGroup, pk=group_id)
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        review = wire.wire_group_review(group=group)
        chosen = _chosen(request.POST) if request.method == "POST" else []
        headline = request.POST.get("headline", "") if request.method == "POST" else ""
        error = ""
        if request.method == "POST":
            try:
                merged = wire.wire_group_merge(
                    group=group, paragraphs=chosen, headline=headline, editor=request.user
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                note = ""
                if merged.near_duplicate_paragraphs:
                    pairs = ", ".join(
                        f"{a + 1} and {b + 1}" for a, b in merged.near_duplicate_paragraphs
                    )
                    note = f" Paragraphs {pairs} say nearly the same thing: check them."
                self.message_user(request, "Merged into a new draft." + note, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:newsroom_article_change", args=[merged.article.pk])
                )
        return TemplateResponse(
            request,
            "ingest/wire/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Merge wire group {group.pk}",
                "group": group,
                "columns": _columns(review, chosen),
                "caption_pairs": _caption_pairs(review),
                "headline": headline or (review.items[0].item.headline if review.items else ""),
                "error": error,
            },
        )


def _chosen(data) -> list[tuple[int, int]]:
    """The ticked paragraphs ("item:index"), ordered by the numbers the editor typed."""
    picked = []
    for position, value in enumerate(data.getlist("paragraph")):
        try:
            item_id, index = (int(part) for part in value.split(":", 1))
        except ValueError:
            continue
        order = data.get(f"order-{item_id}-{index}", "")
        rank = float(order) if order.replace(".", "", 1).isdigit() else 1e9 + position
        picked.append((rank, position, (item_id, index)))
    return [key for _, _, key in sorted(picked)]


def _columns(review: wire.GroupReview, chosen: list[tuple[int, int]]) -> list[dict[str, Any]]:
    flagged = review.flagged_paragraphs()
    partner: dict[tuple[int, int], list[str]] = {}
    credit = {r.item.pk: r.item.feed.source.credit_name for r in review.items}
    for dup in review.paragraph_duplicates:
        partner.setdefault(dup.first, []).append(f"{credit[dup.second[0]]} ¶{dup.second[1] + 1}")
        partner.setdefault(dup.second, []).append(f"{credit[dup.first[0]]} ¶{dup.first[1] + 1}")
    order = {key: n for n, key in enumerate(chosen, start=1)}
    columns = []
    for column, r in enumerate(review.items):
        rows = []
        for index, text in enumerate(r.paragraphs):
            key = (r.item.pk, index)
            rows.append(
                {
                    "value": f"{r.item.pk}:{index}",
                    "name": f"order-{r.item.pk}-{index}",
                    "text": text,
                    "number": index + 1,
                    "checked": key in order if chosen else column == 0,
                    "order": order.get(key, "" if chosen else (index + 1 if column == 0 else "")),
                    "near": partner.get(key, []) if key in flagged else [],
                }
            )
        columns.append({"item": r.item, "credit": credit[r.item.pk], "rows": rows})
    return columns


def _caption_pairs(review: wire.GroupReview) -> list[dict[str, Any]]:
    """Every caption, and beside the flagged ones the other agency's wording."""
    texts = {(r.item.pk, i): (r.item, c) for r in review.items for i, c in enumerate(r.captions)}
    out = []
    for dup in review.caption_duplicates:
        (a_item, a_text), (b_item, b_text) = texts[dup.first], texts[dup.second]
        out.append(
            {
                "near": True,
                "similarity": dup.similarity,
                "sides": [
                    (a_item.feed.source.credit_name, a_text),
                    (b_item.feed.source.credit_name, b_text),
                ],
            }
        )
    flagged = review.flagged_captions()
    for key, (item, text) in texts.items():
        if key not in flagged:
            out.append({"near": False, "sides": [(item.feed.source.credit_name, text)]})
    return out
