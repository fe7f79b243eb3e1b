"""Admin for threads and comments (the full moderation queue comes with the moderation issue)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from broadsheet.core.text import render_comment_markdown
from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, CommentFlag, Subscription, Thread
from broadsheet.moderation.services import audit_log


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Threads with their stored counts."""

    list_display = (
        "title", "key", "comment_count", "is_closed", "closes_at", "visible_from", "created_at",
    )  # fmt: skip
    list_filter = ("is_closed",)
    search_fields = ("title", "key", "url")
    # Article threads take these from their article each time it is saved.
    readonly_fields = (
        "comment_count", "top_level_count", "last_seq", "version", "created_at", "context_keys",
    )  # fmt: skip


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
    raw_id_fields = ("user",)
    # The tree's shape is the services' to keep: moving a comment here would corrupt paths.
    readonly_fields = (
        "thread", "parent", "root", "path", "depth", "seq", "body_html", "ip_hash", "user_agent",
        "verdict", "descendant_count", "import_key", "notified_at",
    )  # fmt: skip
    # Status changes and deletions keep counters and replies only through the services.
    actions = None

    @admin.display(description="Author")
    def author_display(self, obj: Comment) -> str:
        return obj.display_name

    @admin.display(description="Comment")
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80]

    def has_add_permission(self, request) -> bool:
        # Comments are written through the site's form or the API, where the referee judges them.
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(services.MODERATE_PERMISSION):
            fields += ("status",)
        return fields

    def save_model(self, request, obj, form, change):
        # Stored HTML is rendered from the source here too, so no path skips sanitizing.
        if obj.status != Comment.Status.DELETED:
            obj.body_html = render_comment_markdown(obj.body)
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial.get("status", new_status)
            super().save_model(request, obj, form, change)
            try:
                _status_change(request, obj, new_status)
            except (ValidationError, PermissionError, PermissionDenied) as exc:
                why = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                messages.error(request, f"The status was not changed: {why}")
            return
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting goes through the tombstone service, which only moderators may use.
        return super().has_delete_permission(request, obj) and request.user.has_perm(
            services.MODERATE_PERMISSION
        )

    def delete_model(self, request, obj):
        _delete(request, obj)

    def delete_queryset(self, request, queryset):
        for comment in queryset:
            _delete(request, comment)


def _status_change(request, comment: Comment, status: str) -> None:
    """Change a comment's status as the signed-in moderator, through the audited services."""
    actions: dict[str, str] = {
        value: action for action, value in services.MODERATION_ACTIONS.items()
    }
    if status in actions:
        services.comment_moderate(comment=comment, action=actions[status], actor=request.user)
        return
    if status == Comment.Status.DELETED:
        services.comment_delete(comment=comment, user=request.user)
    else:
        services.comment_status_set(comment=comment, status=status, actor=request.user)
    audit_log(
        action="status",
        actor=request.user,
        object_key=f"comment:{comment.pk}",
        decision=status,
        note="Changed in the admin.",
    )


def _delete(request, comment: Comment) -> None:
    """Delete from the admin: a comment with replies becomes a tombstone that keeps them."""
    if comment.children.exists():
        services.comment_delete(comment=comment, user=request.user)
        audit_log(
            action="delete",
            actor=request.user,
            object_key=f"comment:{comment.pk}",
            note="Deleted in the admin; kept as a tombstone for its replies.",
        )
        return
    thread = comment.thread
    audit_log(
        action="delete",
        actor=request.user,
        object_key=f"comment:{comment.pk}",
        note="Deleted in the admin.",
    )
    with transaction.atomic():
        comment.delete()
        # A hard delete from the admin still leaves the thread's counters exact.
        services.thread_recount(thread=thread)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Who asked for emails about which thread."""

    list_display = ("id", "thread", "is_active", "confirmed_at", "created_at")
    list_filter = ("is_active",)
    raw_id_fields = ("thread", "user")


@admin.register(CommentFlag)
class CommentFlagAdmin(admin.ModelAdmin):
    """Readers' reports, for the record; moderators decide in the queue at /moderation/."""

    list_display = ("id", "comment", "reason", "created_at", "resolved_at")
    list_filter = ("reason", "resolved_at")
    raw_id_fields = ("comment", "user")
    readonly_fields = ("reporter_key", "ip_hash", "created_at")
