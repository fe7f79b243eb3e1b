"""Signing in and out through /accounts/, for readers and staff alike."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from broadsheet.accounts.tests.factories import PASSWORD, UserFactory, moderator
from broadsheet.newsroom.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_reader_signs_in_and_the_header_offers_sign_out(client):
    reader = UserFactory(username="tomas", display_name="Tomas Reed")
    assert "Sign in" in client.get("/").content.decode()

    response = client.post("/accounts/login/", {"username": "tomas", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert "Tomas Reed" in html and "Sign out" in html
    assert reader.email not in html


def test_wrong_password_shows_an_error_and_keeps_the_username(client):
    UserFactory(username="tomas")
    response = client.post("/accounts/login/", {"username": "tomas", "password": "not-it"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please enter a correct username and password." in html
    assert 'value="tomas"' in html and 'value="not-it"' not in html
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_next_to_another_site_is_ignored(client):
    UserFactory(username="tomas")
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "tomas", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_next_on_this_site_is_followed(client):
    article = ArticleFactory()
    UserFactory(username="tomas")
    url = article.get_absolute_url()
    login_page = client.get(url).content.decode()
    assert f'href="/accounts/login/?next={url}"' in login_page
    response = client.post(
        "/accounts/login/", {"username": "tomas", "password": PASSWORD, "next": url}
    )
    assert response["Location"] == url


def test_failed_sign_ins_are_rate_limited_per_network(client, frozen_clock):
    UserFactory(username="tomas")
    for _ in range(10):
        assert (
            client.post("/accounts/login/", {"username": "tomas", "password": "x"}).status_code
            == 400
        )

    # Even the right password is refused until the window ends.
    response = client.post("/accounts/login/", {"username": "tomas", "password": PASSWORD})
    html = response.content.decode()

    assert response.status_code == 429
    assert response["Retry-After"] == "200"
    assert (
        '<div class="form-errors" role="alert"><p>You are trying to sign in too quickly. '
        "Please wait 4 minutes and try again.</p></div>"
    ) in html
    assert 'value="tomas"' in html
    assert "_auth_user_id" not in client.session
    other_network = Client(REMOTE_ADDR="203.0.113.9")
    ok = other_network.post("/accounts/login/", {"username": "tomas", "password": PASSWORD})
    assert ok.status_code == 302


def test_moderator_signs_in_here_and_reaches_the_queue(client):
    moderator(username="mod")
    response = client.get("/moderation/")
    assert response["Location"] == "/accounts/login/?next=/moderation/"
    response = client.post(
        response["Location"], {"username": "mod", "password": PASSWORD, "next": "/moderation/"}
    )
    assert response["Location"] == "/moderation/"
    assert client.get("/moderation/").status_code == 200


def test_login_page_is_accessible_and_strict_csp_friendly(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert re.search(r'<input [^>]*autocomplete="username"', html)
    assert re.search(r'<input [^>]*autocomplete="current-password"', html)
    assert "style=" not in html and "<script>" not in html


def test_sign_in_limit_is_a_setting(client, settings, frozen_clock):
    settings.ACCOUNT_RATE_LOGIN = "2/60"
    UserFactory(username="tomas")
    statuses = [
        client.post("/accounts/login/", {"username": "tomas", "password": "x"}).status_code
        for _ in range(3)
    ]
    response = client.post("/accounts/login/", {"username": "tomas", "password": PASSWORD})

    assert statuses == [400, 400, 429]
    assert response.status_code == 429 and response["Retry-After"] == "20"
    assert (
        "You are trying to sign in too quickly. Please wait 20 seconds and try again."
        in response.content.decode()
    )


def test_a_right_password_is_not_counted(client, settings):
    settings.ACCOUNT_RATE_LOGIN = "1/600"
    UserFactory(username="tomas")
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "tomas", "password": PASSWORD})
        assert response.status_code == 302
        client.post("/accounts/logout/")
