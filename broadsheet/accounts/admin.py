"""Admin for users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from broadsheet.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users with their display name."""

    # The base admin always defines fieldsets; the stubs type it as optional.
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Profile", {"fields": ("display_name", "bio")}))
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
