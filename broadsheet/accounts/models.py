"""The site's user: staff (editors, moderators) and registered readers alike."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person with an account; `display_name` is what bylines and comments show."""

    display_name = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """Return the name shown to readers, never the email address."""
        full = self.get_full_name()
        return self.display_name or full or self.username
