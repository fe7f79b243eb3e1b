"""Django admin for editors: articles with their bylines, credits and corrections; images.

Every save and delete goes through the newsroom's services, so the admin keeps the same rules
(unique slugs, required headlines, credit order) as every other writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from broadsheet.core.admin import ServiceAdmin
from broadsheet.newsroom import services
from broadsheet.newsroom.models import (
    Article,
    Byline,
    Correction,
    Credit,
    Image,
    Section,
    Source,
    Tag,
)


def _kept_forms(formset) -> list:
    """The inline's forms that stay, in the order the editor numbered them."""
    deleted = set(map(id, formset.deleted_forms))
    kept = [f for f in formset.forms if id(f) not in deleted and (f.instance.pk or f.has_changed())]
    return sorted(kept, key=lambda f: f.cleaned_data.get("position") or 0)


def _record_inline(formset, kept: list, rows: Sequence[models.Model]) -> None:
    """Tell the admin's history what the inline added, changed and deleted."""
    formset.new_objects = [row for f, row in zip(kept, rows, strict=True) if not f.instance.pk]
    formset.changed_objects = [
        (row, f.changed_data)
        for f, row in zip(kept, rows, strict=True)
        if f.instance.pk and f.has_changed()
    ]
    formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]


class BylineInline(admin.TabularInline):
    """Authors: pick a staff user, or type a name for a stringer or wire writer."""

    model = Byline
    extra = 0
    fields = ("position", "user", "name", "role")
    autocomplete_fields = ("user",)


class CreditInline(admin.TabularInline):
    """Wire sources, in credit-line order."""

    model = Credit
    extra = 0
    fields = ("position", "source")
    autocomplete_fields = ("source",)


class CorrectionInline(admin.StackedInline):
    """Corrections and updates, shown on the page with their time."""

    model = Correction
    extra = 0
    fields = ("kind", "noted_at", "text")


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    """The editors' article desk."""

    list_display = ("headline", "section", "status", "live", "published_at", "preview_link")
    list_filter = ("status", "section", "tags", "published_at")
    list_select_related = ("section",)
    search_fields = ("headline", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("tags", "lead_image")
    readonly_fields = ("preview_link", "credit_line_shown", "created_at", "updated_at")
    inlines = (BylineInline, CreditInline, CorrectionInline)
    actions = ("publish_now", "unpublish")
    fieldsets = (
        (None, {"fields": ("headline", "slug", "dek", "body")}),
        ("Publishing", {"fields": ("status", "published_at", "preview_link")}),
        ("Filing", {"fields": ("section", "tags", "lead_image", "credit_line_shown")}),
        (
            "More",
            {
                "classes": ("collapse",),
                "fields": ("comments_enabled", "import_key", "created_at", "updated_at"),
            },
        ),
    )

    @admin.display(boolean=True, description="Live")
    def live(self, obj: Article) -> bool:
        return obj.is_live

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "Save the article to preview it."
        url = reverse("newsroom:preview", kwargs={"pk": obj.pk})
        return format_html('<a href="{}" target="_blank" rel="noopener">Preview</a>', url)

    @admin.display(description="Credit line")
    def credit_line_shown(self, obj: Article) -> str:
        return (obj.credit_line if obj.pk else "") or "—"

    def view_on_site(self, obj: Article) -> str:
        # An unpublished article has no public page yet; send editors to its preview.
        if obj.is_live:
            return obj.get_absolute_url()
        return reverse("newsroom:preview", kwargs={"pk": obj.pk})

    def create(self, request, data):
        article = services.article_create(
            headline=data["headline"],
            slug=data["slug"],
            dek=data["dek"],
            body=data["body"],
            section=data["section"],
            tags=data["tags"],
            lead_image=data["lead_image"],
            comments_enabled=data["comments_enabled"],
            import_key=data["import_key"],
        )
        if data["status"] == Article.Status.DRAFT and data["published_at"] is None:
            return article
        # An editor may file a story as published or scheduled straight away.
        return services.article_update(
            article=article, status=data["status"], published_at=data["published_at"]
        )

    def update(self, request, obj, changes):
        return services.article_update(article=obj, **changes)

    def remove(self, request, obj):
        services.article_delete(article=obj)

    def save_related(self, request, form, formsets, change):
        # Tags were saved with the article by its service; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        article = form.instance
        if not formset.has_changed():
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        kept = _kept_forms(formset)
        if formset.model is Byline:
            specs = [
                services.BylineSpec(
                    user=f.cleaned_data.get("user"),
                    name=f.cleaned_data.get("name", ""),
                    role=f.cleaned_data.get("role", ""),
                )
                for f in kept
            ]
            rows: Sequence[models.Model] = services.article_bylines_set(
                article=article, bylines=specs
            )
        elif formset.model is Credit:
            sources = [f.cleaned_data["source"] for f in kept]
            rows = services.article_credits_set(article=article, sources=sources)
        else:
            rows = [_correction_save(article, f) for f in kept]
            for f in formset.deleted_forms:
                if f.instance.pk:
                    services.correction_delete(correction=f.instance)
        _record_inline(formset, kept, rows)

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_now(self, request, queryset) -> None:
        articles = list(queryset)
        for article in articles:
            services.article_publish(article=article)
        self.message_user(request, f"Published {len(articles)} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        articles = list(queryset)
        for article in articles:
            services.article_unpublish(article=article)
        self.message_user(request, f"Unpublished {len(articles)} article(s).", messages.SUCCESS)


def _correction_save(article: Article, form) -> Correction:
    """Add the inline's new correction, or change an existing one."""
    data = form.cleaned_data
    if not form.instance.pk:
        return services.correction_add(
            article=article, text=data["text"], kind=data["kind"], noted_at=data["noted_at"]
        )
    if not form.has_changed():
        return form.instance
    changes = {name: data[name] for name in form.changed_data}
    return services.correction_update(correction=form.instance, **changes)


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
