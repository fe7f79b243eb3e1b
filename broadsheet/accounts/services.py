"""Account writes: registering a reader."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from broadsheet.accounts.models import User


def _username_taken() -> ValidationError:
    message = User._meta.get_field("username").error_messages["unique"]
    return ValidationError({"username": [message]}, code="unique")


def user_register(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create an ordinary reader (never staff); raise ValidationError keyed by field."""
    user = User(
        username=User.normalize_username(username.strip()),
        email=User.objects.normalize_email(email.strip()),
        display_name=display_name.strip(),
        is_staff=False,
        is_superuser=False,
    )
    errors: dict[str, list[ValidationError]] = {}
    try:
        user.clean_fields(exclude={"password", "last_login", "date_joined"})
    except ValidationError as exc:
        errors.update(exc.error_dict)
    # The model allows a blank email (staff made in the admin); a reader needs one to reset.
    if not user.email:
        errors.setdefault("email", []).append(ValidationError("This field is required."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if "username" not in errors and User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = _username_taken().error_dict["username"]
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Two sign-ups racing for one name: the unique index decides, the loser hears why.
        raise _username_taken() from exc
    return user


def user_without_login_get_or_create(*, username: str, display_name: str, email: str = "") -> User:
    """Return a named account nobody can sign in as (demo bylines and commenters), once."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name, "email": email}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user
