"""Sections, tags and wire sources: where articles are filed and whom they credit."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from broadsheet.core.admin import ServiceAdmin
from broadsheet.newsroom import services
from broadsheet.newsroom.models import (
    Section,
    Source,
    Tag,
)


def _checked(check, field: str, **kwargs):
    """Run a service's check from a form, so that its refusal shows next to the field."""
    try:
        return check(**kwargs)
    except ValidationError as exc:
        raise forms.ValidationError(exc.message_dict[field]) from None


class SectionForm(forms.ModelForm):
    def clean_name(self) -> str:
        section = self.instance if self.instance.pk else None
        name = self.cleaned_data["name"]
        return _checked(services.section_name_check, "name", name=name, section=section)


class TagForm(forms.ModelForm):
    def clean_name(self) -> str:
        tag = self.instance if self.instance.pk else None
        name = self.cleaned_data["name"]
        return _checked(services.tag_name_check, "name", name=name, tag=tag)


@admin.register(Section)
class SectionAdmin(ServiceAdmin):
    """Sections, in navigation order."""

    form = SectionForm

    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def create(self, request, data):
        return services.section_create(
            name=data["name"],
            slug=data["slug"],
            description=data["description"],
            position=data["position"],
        )

    def update(self, request, obj, changes):
        return services.section_update(section=obj, **changes)

    def remove(self, request, obj):
        services.section_delete(section=obj)


@admin.register(Tag)
class TagAdmin(ServiceAdmin):
    """Topic tags."""

    form = TagForm

    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def create(self, request, data):
        return services.tag_create(name=data["name"], slug=data["slug"])

    def update(self, request, obj, changes):
        return services.tag_update(tag=obj, **changes)

    def remove(self, request, obj):
        services.tag_delete(tag=obj)


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    """Wire services and outlets for credit lines."""

    list_display = ("credit_name", "name", "url")
    search_fields = ("name", "credit_name")

    def create(self, request, data):
        return services.source_create(
            name=data["name"],
            credit_name=data["credit_name"],
            url=data["url"],
            feed_url=data["feed_url"],
        )

    def update(self, request, obj, changes):
        return services.source_update(source=obj, **changes)

    def remove(self, request, obj):
        services.source_delete(source=obj)
