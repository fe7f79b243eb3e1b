"""Staff screens for word lists, bans, context policies, training data and the audit log."""

from __future__ import annotations

from django.contrib import admin

from broadsheet.moderation.models import AuditEntry, Ban, ContextPolicy, TrainingExample, WordRule


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "note", "updated_at"]
    list_filter = ["action"]
    list_editable = ["action"]
    search_fields = ["word", "note"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "email", "expires_at", "reason", "created_at"]
    list_filter = ["expires_at"]
    search_fields = ["email", "ip_hash", "reason", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ContextPolicy)
class ContextPolicyAdmin(admin.ModelAdmin):
    list_display = ["key", "mode", "note", "updated_at"]
    list_filter = ["mode"]
    search_fields = ["key"]


@admin.register(TrainingExample)
class TrainingExampleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_spam", "object_key", "created_at"]
    list_filter = ["is_spam"]
    search_fields = ["text", "object_key"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only: entries are written by services, never edited."""

    list_display = ["created_at", "action", "actor", "object_key", "decision", "note"]
    list_filter = ["action", "decision"]
    search_fields = ["object_key", "note"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
