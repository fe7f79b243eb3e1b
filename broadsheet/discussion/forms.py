"""The reader's comment form: parses input; the service decides what is acceptable."""

from __future__ import annotations

import time

from django import forms

from broadsheet.discussion.security import form_timestamp_check, form_timestamp_sign

# The honeypot's name looks like a field a bot would fill; people never see it.
HONEYPOT_FIELD = "nickname"


# Ids are plain ASCII digits of a sane length: "²" passes str.isdigit() but not int().
ID_DIGITS_MAX = 18


def id_or_none(raw: object) -> int | None:
    """Return a positive database id parsed from user input, or None for anything else."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if raw > 0 else None
    if not isinstance(raw, str):
        return None
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= ID_DIGITS_MAX):
        return None
    value = int(raw)
    return value if value > 0 else None


class CommentForm(forms.Form):
    """Leave a Reply: name, email, website, comment, and the two checkboxes."""

    # Nothing is required here: the service checks and names every missing field, so the
    # reader sees one message per field, next to it, with everything typed kept.
    author_name = forms.CharField(label="Name", required=False, max_length=1000)
    author_email = forms.CharField(
        label="Email",
        required=False,
        max_length=1000,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    author_url = forms.CharField(
        label="Website",
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body = forms.CharField(
        label="Comment",
        required=False,
        strip=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
    )
    save_identity = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    notify = forms.BooleanField(label="Notify me of follow-up comments by email.", required=False)
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    thread = forms.IntegerField(widget=forms.HiddenInput)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)
    nickname = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["author_name"].widget.attrs.update(
            {"autocomplete": "name", "aria-required": "true", "maxlength": "100"}
        )
        self.fields["author_email"].widget.attrs["aria-required"] = "true"
        self.fields["body"].widget.attrs["aria-required"] = "true"
        thread_id = id_or_none(self.initial.get("thread"))
        if not self.is_bound and thread_id is not None:
            self.initial.setdefault(
                "rendered_at", form_timestamp_sign(time.time(), thread_id=thread_id)
            )
        if user is not None and user.is_authenticated:
            # Signed-in readers are known: no name or email to type.
            del self.fields["author_name"]
            del self.fields["author_email"]

    @property
    def signed_in(self) -> bool:
        """Whether the reader is signed in (and skips name and email)."""
        return self.user is not None and self.user.is_authenticated

    def _stamp(self) -> tuple[bool, float | None]:
        thread_id = id_or_none(self.data.get("thread"))
        if thread_id is None:
            return False, None
        return form_timestamp_check(self.data.get("rendered_at", ""), thread_id=thread_id)

    def form_token_valid(self) -> bool:
        """Whether the form carries a genuine stamp for its thread (an old one still counts)."""
        return self._stamp()[0]

    def form_age_seconds(self) -> float | None:
        """Seconds between rendering the form and submitting it, when the stamp is genuine."""
        stamp = self._stamp()[1]
        return None if stamp is None else max(0.0, time.time() - stamp)

    def service_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach a service's errors to their fields; the rest go above the form."""
        for name, messages in errors.items():
            field = self.fields.get(name)
            target = name if field is not None and not field.widget.is_hidden else None
            for message in messages:
                self.add_error(target, message)


class EditForm(forms.Form):
    """An author's change to their comment's text."""

    body = forms.CharField(
        label="Comment",
        required=False,
        strip=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45, "aria-required": "true"}),
    )
