"""Admin for threads and comments (the full moderation queue comes with the moderation issue)."""

from django.contrib import admin

from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion.models import Comment, CommentFlag, Subscription, Thread
from broadsheet.discussion.services import comment_status_set, thread_recount


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Threads with their stored counts."""

    list_display = ("title", "key", "comment_count", "is_closed", "closes_at", "created_at")
    list_filter = ("is_closed",)
    search_fields = ("title", "key", "url")
    readonly_fields = ("comment_count", "top_level_count", "last_seq", "version", "created_at")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments, searchable by text and author, filterable by status, thread and date."""

    list_display = (
        "id", "author_display", "excerpt", "thread", "status", "report_count", "is_featured",
        "created_at",
    )  # fmt: skip
    list_filter = ("status", "created_at", ("thread", admin.RelatedOnlyFieldListFilter))
    search_fields = ("body", "author_name", "user__username", "user__display_name")
    list_select_related = ("thread", "user")
    date_hierarchy = "created_at"
    raw_id_fields = ("thread", "parent", "root", "user")
    readonly_fields = (
        "path", "depth", "seq", "body_html", "ip_hash", "user_agent", "verdict",
        "descendant_count", "import_key",
    )  # fmt: skip
    # Status changes keep the counters exact only through the service, not a bulk update.
    actions = None

    @admin.display(description="Author")
    def author_display(self, obj: Comment) -> str:
        return obj.display_name

    @admin.display(description="Comment")
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80]

    def save_model(self, request, obj, form, change):
        # Stored HTML is rendered from the source here too, so no path skips sanitizing.
        if obj.status != Comment.Status.DELETED:
            obj.body_html = render_comment_markdown(obj.body)
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial.get("status", new_status)
            super().save_model(request, obj, form, change)
            comment_status_set(comment=obj, status=new_status)
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        # A hard delete from the admin still leaves the thread's counters exact.
        thread = obj.thread
        super().delete_model(request, obj)
        thread_recount(thread=thread)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Who asked for emails about which thread."""

    list_display = ("id", "thread", "is_active", "created_at")
    list_filter = ("is_active",)
    raw_id_fields = ("thread", "user")


@admin.register(CommentFlag)
class CommentFlagAdmin(admin.ModelAdmin):
    """Readers' reports, for the record; moderators decide in the queue at /moderation/."""

    list_display = ("id", "comment", "reason", "created_at", "resolved_at")
    list_filter = ("reason", "resolved_at")
    raw_id_fields = ("comment", "user")
    readonly_fields = ("reporter_key", "ip_hash", "created_at")
