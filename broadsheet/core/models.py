"""Abstract base models shared by the apps."""

from django.db import models


class TimestampedModel(models.Model):
    """A row that records when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
