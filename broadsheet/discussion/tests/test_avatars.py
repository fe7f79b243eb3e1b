"""Identicon avatars: deterministic, cached for a year, and never revealing an email."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings

from broadsheet.discussion.avatars import avatar_hash, avatar_url_for, identicon_svg
from broadsheet.discussion.tests.factories import ThreadFactory, post


def test_same_email_same_avatar_different_email_different_avatar():
    assert avatar_hash(email="Ann@Example.org ") == avatar_hash(email="ann@example.org")
    assert avatar_hash(email="ann@example.org") != avatar_hash(email="bob@example.org")
    digest = avatar_hash(email="ann@example.org")
    assert identicon_svg(digest) == identicon_svg(digest)
    assert identicon_svg(digest) != identicon_svg(avatar_hash(email="bob@example.org"))


def test_anonymous_avatar_comes_from_the_name():
    assert avatar_hash(name="Night Owl") == avatar_hash(name="night  owl")
    assert avatar_hash(name="Night Owl") != avatar_hash(name="Early Bird")


def test_avatar_hash_is_keyed_not_a_plain_digest_of_the_email():
    email = "ann@example.org"
    plain = {
        hashlib.md5(email.encode()).hexdigest(),  # noqa: S324
        hashlib.sha256(email.encode()).hexdigest()[:32],
    }
    keyed = avatar_hash(email=email)
    assert keyed not in plain
    with override_settings(SECRET_KEY="another-key-entirely-0123456789-abcdefghijklmnop"):
        assert avatar_hash(email=email) != keyed


@pytest.mark.django_db
def test_avatar_is_an_svg_cached_for_a_year(client):
    url = avatar_url_for(email="ann@example.org")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content.startswith(b"<svg") and b"<script" not in response.content
    assert client.get("/avatars/not-a-hash.svg").status_code == 404


@pytest.mark.django_db
def test_page_shows_avatars_but_no_email_or_its_plain_hash(client):
    email = "private.person@example.org"
    thread = ThreadFactory()
    post(thread, "Hello.", email=email)
    html = client.get(f"/comments/thread/{thread.pk}/").content.decode()
    assert avatar_url_for(email=email) in html
    assert email not in html
    assert hashlib.md5(email.encode()).hexdigest() not in html  # noqa: S324


@override_settings(GRAVATAR=True)
def test_gravatar_only_when_switched_on():
    assert avatar_url_for(email="ann@example.org").startswith("https://www.gravatar.com/avatar/")
    assert avatar_url_for(name="No Email").startswith("/avatars/")
