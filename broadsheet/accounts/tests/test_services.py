"""Registering through services.user_register: validation keyed by field, ordinary readers only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from broadsheet.accounts.models import User
from broadsheet.accounts.services import user_register

pytestmark = pytest.mark.django_db


def register(**fields) -> User:
    data = {
        "username": "martaq",
        "email": "Marta.Quill@EXAMPLE.NET",
        "password": "tidal-basin-lantern-88",
        "display_name": " Marta Quill ",
    }
    data.update(fields)
    return user_register(**data)


def test_registers_an_ordinary_reader_who_can_sign_in():
    user = register()

    stored = User.objects.get(username="martaq")
    assert stored == user
    assert (stored.email, stored.display_name) == ("Marta.Quill@example.net", "Marta Quill")
    assert not stored.is_staff and not stored.is_superuser
    assert stored.check_password("tidal-basin-lantern-88")


def test_errors_are_keyed_by_field_and_nothing_is_written():
    with pytest.raises(ValidationError) as caught:
        register(username="bad name!", email="", password="12345678")

    assert caught.value.message_dict == {
        "username": [
            "Enter a valid username. This value may contain only letters, numbers, "
            "and @/./+/-/_ characters."
        ],
        "email": ["This field is required."],
        "password": ["This password is too common.", "This password is entirely numeric."],
    }
    assert not User.objects.exists()


def test_a_taken_username_is_refused_whatever_its_case():
    register()
    with pytest.raises(ValidationError) as caught:
        register(username="MartaQ", email="other@example.net")

    assert caught.value.message_dict == {"username": ["A user with that username already exists."]}
    assert User.objects.count() == 1


def test_a_password_like_the_username_is_refused():
    with pytest.raises(ValidationError) as caught:
        register(username="lanternkeeper", password="lanternkeeper1")

    assert caught.value.message_dict == {
        "password": ["The password is too similar to the username."]
    }


def test_the_form_shows_a_service_refusal_next_to_its_fields():
    from broadsheet.accounts.forms import RegisterForm

    # What a registration that lost a race for its username (or a password rule) looks like.
    form = RegisterForm(
        {
            "username": "martaq",
            "display_name": "Marta Quill",
            "email": "marta@example.net",
            "password1": "tidal-basin-lantern-88",
            "password2": "tidal-basin-lantern-88",
        }
    )
    assert form.is_valid()
    form.add_service_error(
        ValidationError(
            {
                "username": ["A user with that username already exists."],
                "password": ["This password is too common."],
            }
        )
    )
    assert form.errors == {
        "username": ["A user with that username already exists."],
        "password2": ["This password is too common."],
    }
