"""The editors' article desk: articles with their bylines, credits, corrections and topics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from broadsheet.core.admin import ServiceAdmin
from broadsheet.newsroom import services
from broadsheet.newsroom.models import (
    Article,
    ArticleTopic,
    Byline,
    Correction,
    Credit,
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


class ArticleTopicForm(forms.ModelForm):
    """A topic on the article: suggested ones are confirmed or dropped; new ones are confirmed."""

    class Meta:
        model = ArticleTopic
        fields = ("topic", "status")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        status = cast(forms.ChoiceField, self.fields["status"])
        if self.instance.pk:
            # A row is about one topic for good: the editor decides it, or adds another row.
            self.fields["topic"].disabled = True
            allowed = {ArticleTopic.Status.CONFIRMED, ArticleTopic.Status.DROPPED}
            allowed.add(ArticleTopic.Status(self.instance.status))
        else:
            allowed = {ArticleTopic.Status.CONFIRMED}
            status.initial = ArticleTopic.Status.CONFIRMED
        status.choices = [(v, label) for v, label in ArticleTopic.Status.choices if v in allowed]


class ArticleTopicInline(admin.TabularInline):
    """Topics: the suggested ones to confirm or drop, and any an editor adds."""

    model = ArticleTopic
    form = ArticleTopicForm
    extra = 0
    can_delete = False  # a deleted suggestion would come back; dropping it keeps it out
    fields = ("topic", "kind_shown", "status", "origin", "mentions")
    readonly_fields = ("kind_shown", "origin", "mentions")
    autocomplete_fields = ("topic",)
    verbose_name = "topic"
    verbose_name_plural = "topics (suggested from the text; confirm or drop them)"
    # The formset's prefix in the page, as Django names it: the article's related name.
    formset_prefix = "article_topics"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic")

    @admin.display(description="Kind")
    def kind_shown(self, obj: ArticleTopic) -> str:
        return obj.topic.get_kind_display() if obj.pk else "—"


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
    inlines = (BylineInline, CreditInline, CorrectionInline, ArticleTopicInline)
    actions = ("publish_now", "unpublish", "topics_confirm_suggested", "topics_drop_suggested")
    fieldsets = (
        (None, {"fields": ("headline", "slug", "dek", "body")}),
        ("Publishing", {"fields": ("status", "published_at", "embargo_until", "preview_link")}),
        ("Filing", {"fields": ("section", "tags", "lead_image", "credit_line_shown")}),
        (
            "More",
            {
                "classes": ("collapse",),
                "fields": (
                    "comments_enabled",
                    "original_url",
                    "import_key",
                    "created_at",
                    "updated_at",
                ),
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
            original_url=data["original_url"],
            embargo_until=data["embargo_until"],
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

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        sent = f"{ArticleTopicInline.formset_prefix}-TOTAL_FORMS" in request.POST
        if request.method == "POST" and not sent:
            # A form sent without the topics (a page opened before they were there, a script
            # filling in the article) changes no topics, rather than failing on them.
            inlines = [i for i in inlines if not isinstance(i, ArticleTopicInline)]
        return inlines

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
        elif formset.model is ArticleTopic:
            rows = [_article_topic_save(article, f) for f in kept]
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

    @admin.action(
        description="Confirm suggested topics of selected articles", permissions=["change"]
    )
    def topics_confirm_suggested(self, request, queryset) -> None:
        rows = ArticleTopic.objects.filter(
            article__in=queryset, status=ArticleTopic.Status.SUGGESTED
        )
        confirmed = [services.article_topic_confirm(article_topic=row) for row in rows]
        self.message_user(request, f"Confirmed {len(confirmed)} topic(s).", messages.SUCCESS)

    @admin.action(description="Drop suggested topics of selected articles", permissions=["change"])
    def topics_drop_suggested(self, request, queryset) -> None:
        rows = ArticleTopic.objects.filter(
            article__in=queryset, status=ArticleTopic.Status.SUGGESTED
        )
        dropped = [services.article_topic_drop(article_topic=row) for row in rows]
        self.message_user(request, f"Dropped {len(dropped)} topic(s).", messages.SUCCESS)


def _article_topic_save(article: Article, form) -> ArticleTopic:
    """Add the editor's new topic to the article, or confirm or drop a suggested one."""
    if not form.instance.pk:
        return services.article_topic_add(article=article, topic=form.cleaned_data["topic"])
    status = form.cleaned_data["status"]
    if "status" not in form.changed_data:
        return form.instance
    if status == ArticleTopic.Status.CONFIRMED:
        return services.article_topic_confirm(article_topic=form.instance)
    return services.article_topic_drop(article_topic=form.instance)


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
