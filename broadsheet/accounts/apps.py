"""Users, staff roles and reader profiles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts app."""

    name = "broadsheet.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the settings checks (the ACCOUNT_RATE_* limits).
        from broadsheet.accounts import checks  # noqa: F401
