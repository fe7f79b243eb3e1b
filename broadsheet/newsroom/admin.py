"""Django admin for editors: articles with their bylines, credits and corrections; images."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

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
class ArticleAdmin(admin.ModelAdmin):
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


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections, in navigation order."""

    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Topic tags."""

    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Wire services and outlets for credit lines."""

    list_display = ("credit_name", "name", "url")
    search_fields = ("name", "credit_name")


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
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

    @admin.display(description="Image")
    def thumbnail(self, obj: Image) -> str:
        if not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="120" loading="lazy">', obj.file.url, obj.alt_text
        )
