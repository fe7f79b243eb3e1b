"""Admin for what imports leave behind: old addresses and linkbacks (read-only lists)."""

from __future__ import annotations

from django.contrib import admin

from broadsheet.ingest.models import LegacyURL, Linkback


class _ReadOnly(admin.ModelAdmin):
    """Rows written by an import: listed and searched, changed only by importing again."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LegacyURL)
class LegacyURLAdmin(_ReadOnly):
    list_display = ("path", "article", "origin", "created_at")
    search_fields = ("path", "article__headline")
    list_select_related = ("article",)
    list_filter = ("origin",)


@admin.register(Linkback)
class LinkbackAdmin(_ReadOnly):
    list_display = ("source_name", "kind", "status", "article", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("source_name", "source_url", "article__headline")
    list_select_related = ("article",)
