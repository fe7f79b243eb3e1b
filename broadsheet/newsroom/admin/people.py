"""Authors' profiles and the topics (people, organisations, places) articles are about."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from broadsheet.core.admin import ServiceAdmin
from broadsheet.newsroom import services
from broadsheet.newsroom.models import (
    ArticleTopic,
    Author,
    Topic,
)


@admin.register(Author)
class AuthorAdmin(ServiceAdmin):
    """Staff writers' public pages: made with their first byline, edited here."""

    list_display = ("__str__", "slug", "role")
    search_fields = ("slug", "user__username", "user__display_name", "role")
    autocomplete_fields = ("user", "photo")
    fields = ("user", "slug", "role", "bio", "photo")

    def get_readonly_fields(self, request, obj=None):
        # Whose page it is never changes; a new profile picks its user.
        return ("user",) if obj is not None else ()

    def create(self, request, data):
        author = services.author_ensure(user=data["user"])
        return services.author_update(
            author=author,
            slug=data["slug"],
            role=data["role"],
            bio=data["bio"],
            photo=data["photo"],
        )

    def update(self, request, obj, changes):
        return services.author_update(author=obj, **changes)

    def remove(self, request, obj):
        services.author_delete(author=obj)


class TopicForm(forms.ModelForm):
    """A topic's name and spellings, checked as the services will check them."""

    def clean(self):
        data = super().clean()
        if "name" not in data:
            return data
        topic = self.instance if self.instance.pk else None
        try:
            data["name"], data["aliases"] = services.topic_names_check(
                name=data["name"],
                aliases=data.get("aliases", ""),
                listed=data.get("listed", False),
                topic=topic,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field, errors)
        return data


@admin.register(Topic)
class TopicAdmin(ServiceAdmin):
    """People, organisations and places stories are about; the listed ones are the editors' list."""

    form = TopicForm

    list_display = ("name", "kind", "listed", "confirmed_articles", "slug")
    list_filter = ("listed", "kind")
    search_fields = ("name", "aliases")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "listed", "aliases", "description")
    actions = ("list_add", "list_remove")
    # Said here too: a counted (grouped) query drops the model's own ordering.
    ordering = ("name",)

    def get_queryset(self, request):
        confirmed = Q(article_topics__status=ArticleTopic.Status.CONFIRMED)
        counted = Count("article_topics", filter=confirmed)
        return super().get_queryset(request).annotate(confirmed_count=counted)

    @admin.display(description="Confirmed articles", ordering="confirmed_count")
    def confirmed_articles(self, obj: Topic) -> int:
        return getattr(obj, "confirmed_count", 0)

    def create(self, request, data):
        return services.topic_create(
            name=data["name"],
            slug=data["slug"],
            kind=data["kind"],
            listed=data["listed"],
            aliases=data["aliases"],
            description=data["description"],
        )

    def update(self, request, obj, changes):
        return services.topic_update(topic=obj, **changes)

    def remove(self, request, obj):
        services.topic_delete(topic=obj)

    def _listed_set(self, request, queryset, listed: bool) -> None:
        changed = 0
        for topic in queryset:
            try:
                services.topic_update(topic=topic, listed=listed)
            except ValidationError as exc:
                problems = "; ".join(m for ms in exc.message_dict.values() for m in ms)
                self.message_user(request, f"{topic.name}: {problems}", messages.ERROR)
            else:
                changed += 1
        where = "on" if listed else "off"
        self.message_user(
            request, f"Put {changed} topic(s) {where} the editors' list.", messages.SUCCESS
        )

    @admin.action(description="Put selected topics on the editors' list", permissions=["change"])
    def list_add(self, request, queryset) -> None:
        self._listed_set(request, queryset, True)

    @admin.action(description="Take selected topics off the editors' list", permissions=["change"])
    def list_remove(self, request, queryset) -> None:
        self._listed_set(request, queryset, False)
