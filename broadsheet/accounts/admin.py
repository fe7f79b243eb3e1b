"""Admin for users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from broadsheet.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users with their display name."""

    fieldsets = (*BaseUserAdmin.fieldsets, ("Profile", {"fields": ("display_name", "bio")}))
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
