"""The referee's tables: word lists, bans, per-context policy, training data, audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from broadsheet.core.models import TimestampedModel
from broadsheet.moderation.querysets import BanQuerySet


class WordRule(TimestampedModel):
    """A word or phrase staff list: reject it outright or hold the comment for review."""

    class Action(models.TextChoices):
        REJECT = "reject", "Banned (reject)"
        HOLD = "hold", "Suspect (hold for review)"
        # Not a bad word: a people or group, whose mention lowers the toxicity hold threshold,
        # because the model under-scores generalizations about groups without swear words.
        GROUP = "group", "Group of people (stricter toxicity threshold)"

    word = models.CharField(
        max_length=100,
        unique=True,
        help_text="Matched as a whole word, ignoring case, accents, repeated letters and "
        "common character swaps (1→i, 3→e, 0→o, 4/@→a, 5/$→s, 7→t).",
    )
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["word"]

    def __str__(self) -> str:
        return f"{self.word} ({self.get_action_display()})"


class Ban(TimestampedModel):
    """A ban on a user, an email address or a hashed IP address, optionally until a date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_bans",
    )
    email = models.EmailField(blank=True, db_index=True)
    ip_hash = models.CharField(max_length=128, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email="") | ~Q(ip_hash=""),
                name="ban_has_a_target",
                violation_error_message="A ban needs a user, an email address or a hashed IP.",
            )
        ]

    def __str__(self) -> str:
        target = (
            f"user #{self.user_id}" if self.user_id else self.email or f"IP {self.ip_hash[:10]}…"
        )
        until = f" until {self.expires_at:%Y-%m-%d %H:%M}" if self.expires_at else ""
        return f"Ban on {target}{until}"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        """Whether the ban applies now."""
        return self.expires_at is None or self.expires_at > timezone.now()


class ContextPolicy(TimestampedModel):
    """Pre- or post-moderation for one context key the discussion app passes (e.g. thread:42)."""

    class Mode(models.TextChoices):
        POST = "post", "Post-moderation (publish unless a rule holds)"
        PRE = "pre", "Pre-moderation (hold everything not rejected)"

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text='An opaque key such as "section:world" or "thread:42". If any key of a '
        "comment asks for pre-moderation it is pre-moderated.",
    )
    mode = models.CharField(
        max_length=10,
        choices=Mode.choices,
        blank=True,
        help_text="Empty: the site's default mode (set only thresholds).",
    )
    thresholds = models.JSONField(
        default=dict,
        blank=True,
        help_text='Hold thresholds for this context, e.g. {"insult": 0.8, "toxicity:obscene": '
        "0.95}: a category (insult, identity_attack, sexual, threat, spam) or a toxicity label "
        'after "toxicity:". Higher holds less; a more specific key wins.',
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "context policies"

    def __str__(self) -> str:
        return f"{self.key}: {self.mode or 'default mode'}"


class TrainingExample(models.Model):
    """One moderator decision the spam model learns from: this text was (not) spam."""

    text = models.TextField()
    is_spam = models.BooleanField()
    # Opaque key of what was judged (e.g. "comment:12") so a changed decision replaces the old one.
    object_key = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_key"],
                condition=~Q(object_key=""),
                name="training_example_unique_object",
            )
        ]

    def __str__(self) -> str:
        return f"{'spam' if self.is_spam else 'ham'}: {self.text[:60]}"


class SpamModel(models.Model):
    """A trained spam classifier, pickled and signed with the site's secret key."""

    created_at = models.DateTimeField(default=timezone.now)
    examples = models.PositiveIntegerField()
    spam_examples = models.PositiveIntegerField()
    blob = models.BinaryField()
    # HMAC of the blob: a model is only unpickled if this site wrote it.
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"Spam model #{self.pk} ({self.examples} examples)"


class AuditEntry(models.Model):
    """Who decided what about which object, when and why; never edited."""

    action = models.CharField(max_length=50, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_key = models.CharField(max_length=200, db_index=True)
    decision = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_key}"
