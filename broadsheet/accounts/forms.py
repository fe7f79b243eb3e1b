"""Reader registration: parses and checks the form; services.user_register writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from broadsheet.accounts.models import User


class RegisterForm(UserCreationForm[User]):
    """A new reader: username, display name, email and a password typed twice."""

    display_name = forms.CharField(
        label="Display name",
        max_length=120,
        help_text="Shown with your comments.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label="Email",
        help_text="Never shown to anyone; used only to reset your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.update(autocomplete="new-password")
        for field in self.fields.values():
            field.error_messages.setdefault("required", "This field is required.")

    def add_service_error(self, error: ValidationError) -> None:
        """Show services.user_register's errors next to their fields (password under the second)."""
        for field, errors in error.error_dict.items():
            target = "password2" if field == "password" else field
            self.add_error(target if target in self.fields else None, errors)
