"""Photos with their captions and credits."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.html import format_html

from broadsheet.core.admin import ServiceAdmin
from broadsheet.newsroom import services
from broadsheet.newsroom.models import (
    Image,
)


def _upload(value) -> dict[str, Any]:
    """An image form's file field as image services take it: bytes, or None to remove it."""
    if value is False:  # the "clear" box
        return {"content": None}
    return {"content": value.read(), "filename": value.name}


@admin.register(Image)
class ImageAdmin(ServiceAdmin):
    """Photos with captions and credits."""

    list_display = ("thumbnail", "__str__", "credit", "captions_near_duplicate", "created_at")
    search_fields = ("caption", "second_caption", "credit", "alt_text")
    list_filter = ("captions_near_duplicate",)
    readonly_fields = ("thumbnail", "width", "height")
    fields = (
        "file",
        "thumbnail",
        "alt_text",
        "caption",
        "second_caption",
        "captions_near_duplicate",
        "credit",
        "width",
        "height",
    )

    def create(self, request, data):
        upload = _upload(data["file"]) if data["file"] else {}
        return services.image_create(
            **upload,
            caption=data["caption"],
            second_caption=data["second_caption"],
            captions_near_duplicate=data["captions_near_duplicate"],
            credit=data["credit"],
            alt_text=data["alt_text"],
        )

    def update(self, request, obj, changes):
        if "file" in changes:
            changes.update(_upload(changes.pop("file")))
        return services.image_update(image=obj, **changes)

    def remove(self, request, obj):
        services.image_delete(image=obj)

    @admin.display(description="Image")
    def thumbnail(self, obj: Image) -> str:
        if not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="120" loading="lazy">', obj.file.url, obj.alt_text
        )
