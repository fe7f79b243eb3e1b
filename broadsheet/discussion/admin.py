"""Admin for threads and comments; every change goes through discussion's services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, CommentFlag, Subscription, Thread
from broadsheet.discussion.permissions import can_moderate
from broadsheet.moderation.services import audit_log


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Threads with their stored counts."""

    list_display = (
        "title", "key", "comment_count", "is_closed", "closes_at", "visible_from", "created_at",
    )  # fmt: skip
    list_filter = ("is_closed",)
    search_fields = ("title", "key", "url")
    # A thread follows its page (key, url, title, visibility); staff only open and close it.
    fields = (
        "key", "url", "title", "is_closed", "closes_at", "visible_from", "comment_count",
        "top_level_count", "last_seq", "version", "created_at", "context_keys",
    )  # fmt: skip
    readonly_fields = (
        "key", "url", "title", "visible_from", "comment_count", "top_level_count", "last_seq",
        "version", "created_at", "context_keys",
    )  # fmt: skip

    def has_add_permission(self, request) -> bool:
        # Threads come into being with their page (or the API's first comment on a URL).
        return False

    def save_model(self, request, obj, form, change):
        thread = Thread.objects.get(pk=obj.pk)
        if "is_closed" in form.changed_data:
            # A moderator's closure the page's next save keeps: only thread_close records it so.
            closes_at = obj.closes_at if "closes_at" in form.changed_data else ...
            services.thread_close(
                thread=thread, closed=obj.is_closed, closes_at=closes_at, actor=request.user
            )
        elif "closes_at" in form.changed_data:
            # Only the schedule moved: whoever closed the thread (page or moderator) still has.
            services.thread_closing_schedule(
                thread=thread, closes_at=obj.closes_at, actor=request.user
            )


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
    # The tree's shape and the record are the services' to keep; staff change only these
    # through them: the text and name (judged again, marked edited), status and featuring.
    fields = (
        "thread", "parent", "user", "author_name", "author_email", "author_url", "body",
        "status", "is_featured", "created_at", "edited_at", "verdict", "report_count",
        "descendant_count", "import_key", "notified_at",
    )  # fmt: skip
    readonly_fields = (
        "thread", "parent", "user", "author_email", "created_at", "edited_at", "verdict",
        "report_count", "descendant_count", "import_key", "notified_at",
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

    def save_model(self, request, obj, form, change):
        # Every change goes through the services (judged again, counted, audited), all or none:
        # the text first (the referee may hold it), then the moderator's status, then featuring
        # (which needs the comment published).
        comment = Comment.objects.get(pk=obj.pk)
        changed = set(form.changed_data)
        try:
            with transaction.atomic():
                if {"body", "author_name", "author_url"} & changed:
                    services.comment_staff_edit(
                        comment=comment,
                        actor=request.user,
                        body=obj.body,
                        author_name=obj.author_name,
                        author_url=obj.author_url,
                    )
                if "status" in changed:
                    _status_change(request, comment, obj.status)
                if "is_featured" in changed:
                    services.comment_feature(
                        comment=comment, actor=request.user, featured=obj.is_featured
                    )
        except (ValidationError, PermissionDenied) as exc:
            why = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, f"The comment was not changed: {why}")
            request._comment_not_saved = True  # type: ignore[attr-defined]

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # After a refused change the admin must not also say it "was changed successfully".
        if getattr(request, "_comment_not_saved", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        # Only moderators change comments, through services that re-judge and audit them.
        return super().has_change_permission(request, obj) and can_moderate(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting goes through the tombstone service, which only moderators may use.
        return super().has_delete_permission(request, obj) and can_moderate(request.user)

    def delete_model(self, request, obj):
        services.comment_remove(comment=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for comment in queryset:
            services.comment_remove(comment=comment, actor=request.user)


def _status_change(request, comment: Comment, status: str) -> None:
    """Change a comment's status as the signed-in moderator, through the audited services."""
    actions: dict[str, str] = {
        value: action for action, value in services.MODERATION_ACTIONS.items()
    }
    if status in actions:
        services.comment_moderate(comment=comment, action=actions[status], actor=request.user)
    else:
        if status == Comment.Status.DELETED:
            # A status, not the delete button: the row stays, a tombstone for the record.
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
