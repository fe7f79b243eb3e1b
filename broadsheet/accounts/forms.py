"""Reader registration."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

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

    def save(self, commit: bool = True) -> User:
        """Create an ordinary reader: never staff, never superuser."""
        user = super().save(commit=False)
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user
