"""Abstract base models shared by the apps."""

from django.db import models


class TimestampedModel(models.Model):
    """A row that records when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RateCounter(models.Model):
    """One fixed rate-limit window's count, kept here when the cache is per process (no Redis)."""

    # "rate:<scope>:<seconds>", the scope hashed by its owner, so no email or IP is stored.
    key = models.CharField(max_length=120)
    window_start = models.BigIntegerField(help_text="Unix time the window opened.")
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(help_text="Unix time the window closes.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="core_ratecounter_key_window"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="core_ratecounter_expires")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.count}"
