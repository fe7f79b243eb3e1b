"""Registering a reader account, and what a new reader notices afterwards."""

from __future__ import annotations

import re

import pytest

from broadsheet.accounts.models import User
from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import comment_form
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EMAIL = "marta.quill@example.net"


def registration(**fields) -> dict:
    data = {
        "username": "martaq",
        "display_name": "Marta Quill",
        "email": EMAIL,
        "password1": "tidal-basin-lantern-88",
        "password2": "tidal-basin-lantern-88",
    }
    data.update(fields)
    return data


def test_new_reader_is_signed_in_and_comments_under_the_display_name(client):
    article = ArticleFactory(headline="Ferry timetable changes from Monday")
    thread = article_thread(article)

    response = client.post("/accounts/register/", registration())

    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="martaq")
    assert not user.is_staff and not user.is_superuser
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Marta Quill" in page and "Sign out" in page
    assert 'name="author_name"' not in page and 'name="author_email"' not in page
    client.post(
        "/comments/post/", comment_form(thread, "Glad the early boat stays.", signed_in=True)
    )
    comment = Comment.objects.get()
    assert comment.user == user
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Glad the early boat stays." in page
    assert re.search(
        r"Marta Quill", page.split("Glad the early boat stays.")[0].rsplit("<li", 1)[-1]
    )
    assert EMAIL not in page


def test_registration_errors_keep_what_was_typed_except_passwords(client):
    response = client.post(
        "/accounts/register/",
        registration(password1="harbour", password2="different", username="martaq"),
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert 'value="martaq"' in html and f'value="{EMAIL}"' in html
    assert 'value="Marta Quill"' in html
    assert "The two password fields didn’t match." in html
    assert 'value="harbour"' not in html and 'value="different"' not in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(username="martaq").exists()


def test_weak_password_is_refused_by_the_validators(client):
    response = client.post(
        "/accounts/register/", registration(password1="12345678", password2="12345678")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This password is too common." in html
    assert "This password is entirely numeric." in html
    assert not User.objects.exists()


def test_taken_username_is_explained_next_to_the_field(client):
    User.objects.create_user("martaq", "someone@example.org", "x-unused-pass-1")
    html = client.post("/accounts/register/", registration(username="MartaQ")).content.decode()
    assert 'id="id_username_error"' in html
    assert "A user with that username already exists." in html
    assert User.objects.count() == 1


def test_register_honours_a_local_next_and_ignores_another_site(client):
    response = client.post("/accounts/register/?next=/comments/", registration())
    assert response["Location"] == "/comments/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/register/",
        registration(username="other", next="https://evil.example/"),
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_registration_is_rate_limited_per_network(client, frozen_clock):
    for n in range(5):
        response = client.post("/accounts/register/", registration(username=f"reader{n}"))
        assert response.status_code == 302
        client.post("/accounts/logout/")

    response = client.post("/accounts/register/", registration(username="onemore"))
    html = response.content.decode()

    assert response.status_code == 429
    assert response["Retry-After"] == "800"
    assert (
        '<div class="form-errors" role="alert"><p>You are creating accounts too quickly. '
        "Please wait 14 minutes and try again.</p></div>"
    ) in html
    assert 'value="onemore"' in html
    assert not User.objects.filter(username="onemore").exists()


def test_register_page_has_labelled_fields_with_autocomplete(client):
    html = client.get("/accounts/register/").content.decode()
    for field, autocomplete in [
        ("username", "username"),
        ("display_name", "nickname"),
        ("email", "email"),
        ("password1", "new-password"),
        ("password2", "new-password"),
    ]:
        assert f'<label for="id_{field}">' in html
        tag = re.search(rf'<input [^>]*name="{field}"[^>]*>', html)
        assert tag and f'autocomplete="{autocomplete}"' in tag.group(0)
    assert "style=" not in html and "<script>" not in html
