"""An admin whose writes are the owning app's services, so staff edits keep every rule."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models


class ServiceAdmin(admin.ModelAdmin):
    """Saves and deletes through services: subclasses say which service does what."""

    def create(self, request, data: dict[str, Any]) -> models.Model:
        """Create the row from the form's cleaned data through a service."""
        raise NotImplementedError

    def update(self, request, obj: Any, changes: dict[str, Any]) -> models.Model:
        """Apply the fields the form changed through a service."""
        raise NotImplementedError

    def remove(self, request, obj: Any) -> None:
        """Delete the row through a service."""
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            # Only what the form changed, so a list-editable column or a stale field elsewhere
            # on the page cannot overwrite a colleague's edit.
            saved = self.update(request, obj, {n: form.cleaned_data[n] for n in form.changed_data})
        else:
            saved = self.create(request, form.cleaned_data)
        # The admin logs and redirects with its own instance: make it the row the service saved.
        vars(obj).update(vars(saved))

    def delete_model(self, request, obj):
        self.remove(request, obj)

    def delete_queryset(self, request, queryset):
        # One service call, one transaction (and audit entry, where the app keeps one) per row.
        for obj in queryset:
            self.remove(request, obj)
