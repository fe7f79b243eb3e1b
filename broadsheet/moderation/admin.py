"""Staff screens for word lists, bans, context policies, training data and the audit log.

Every save and delete goes through moderation's services, so each staff change leaves an
audit entry naming who made it and what changed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from broadsheet.core.admin import ServiceAdmin
from broadsheet.moderation import services
from broadsheet.moderation.models import AuditEntry, Ban, ContextPolicy, TrainingExample, WordRule


class WordRuleForm(forms.ModelForm):
    """Refuse, next to the field, a word that is empty once normalized or listed already."""

    class Meta:
        model = WordRule
        fields = ["word", "action", "note"]

    def clean_word(self) -> str:
        try:
            return services.word_rule_check(
                word=self.cleaned_data["word"], rule=self.instance if self.instance.pk else None
            )
        except ValueError as exc:
            message = str(exc)
            raise forms.ValidationError(message[:1].upper() + message[1:] + ".") from None


@admin.register(WordRule)
class WordRuleAdmin(ServiceAdmin):
    form = WordRuleForm
    list_display = ["word", "action", "note", "updated_at"]
    list_filter = ["action"]
    list_editable = ["action"]
    search_fields = ["word", "note"]

    def create(self, request, data):
        return services.word_rule_set(
            word=data["word"], action=data["action"], note=data["note"], actor=request.user
        )

    def update(self, request, obj, changes):
        return services.word_rule_update(rule=obj, actor=request.user, **changes)

    def remove(self, request, obj):
        services.word_rule_delete(rule=obj, actor=request.user)


@admin.register(Ban)
class BanAdmin(ServiceAdmin):
    list_display = ["__str__", "user", "email", "expires_at", "reason", "created_at"]
    list_filter = ["expires_at"]
    search_fields = ["email", "ip_hash", "reason", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    actions = ["lift"]

    def create(self, request, data):
        return services.ban_create(
            actor=request.user,
            user=data["user"],
            email=data["email"],
            ip_hash=data["ip_hash"],
            expires_at=data["expires_at"],
            reason=data["reason"],
        )

    def update(self, request, obj, changes):
        return services.ban_update(ban=obj, actor=request.user, **changes)

    def remove(self, request, obj):
        services.ban_delete(ban=obj, actor=request.user)

    @admin.action(description="Lift the selected bans now", permissions=["change"])
    def lift(self, request, queryset) -> None:
        bans = [ban for ban in queryset if ban.is_active]
        for ban in bans:
            services.ban_lift(ban=ban, actor=request.user)
        self.message_user(request, f"Lifted {len(bans)} ban(s).", messages.SUCCESS)


@admin.register(ContextPolicy)
class ContextPolicyAdmin(ServiceAdmin):
    list_display = ["key", "mode", "thresholds", "note", "updated_at"]
    list_filter = ["mode"]
    search_fields = ["key"]

    def create(self, request, data):
        return services.context_policy_set(
            key=data["key"],
            mode=data["mode"],
            note=data["note"],
            thresholds=data.get("thresholds") or {},
            actor=request.user,
        )

    def update(self, request, obj, changes):
        return services.context_policy_update(policy=obj, actor=request.user, **changes)

    def remove(self, request, obj):
        services.context_policy_delete(policy=obj, actor=request.user)


@admin.register(TrainingExample)
class TrainingExampleAdmin(ServiceAdmin):
    list_display = ["__str__", "is_spam", "object_key", "created_at"]
    list_filter = ["is_spam"]
    search_fields = ["text", "object_key"]
    fields = ["text", "is_spam", "object_key", "created_at"]
    # Its age decides whether the model is due for retraining: not for hand-editing.
    readonly_fields = ["created_at"]

    def create(self, request, data):
        return services.training_example_create(
            text=data["text"],
            is_spam=data["is_spam"],
            object_key=data["object_key"],
            actor=request.user,
        )

    def update(self, request, obj, changes):
        return services.training_example_update(example=obj, actor=request.user, **changes)

    def remove(self, request, obj):
        services.training_example_delete(example=obj, actor=request.user)


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
