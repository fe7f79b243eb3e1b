"""Users, staff roles and reader profiles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts app."""

    name = "broadsheet.accounts"
    label = "accounts"
