"""Resetting a forgotten password by email, without telling strangers who has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from broadsheet.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_known_address_gets_a_working_link(client):
    reader = UserFactory(username="ines", email="ines@example.org")

    response = client.post("/accounts/password-reset/", {"email": "ines@example.org"})

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ines@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "quiet-harbour-5120", "new_password2": "quiet-harbour-5120"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    reader.refresh_from_db()
    assert reader.check_password("quiet-harbour-5120")


def test_unknown_address_sees_the_same_page_and_nothing_is_sent(client):
    UserFactory(email="ines@example.org")
    known = client.post("/accounts/password-reset/", {"email": "ines@example.org"}, follow=True)
    mail.outbox.clear()
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True)

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert "nobody@example.org" not in unknown.content.decode()


def test_reset_form_has_a_labelled_email_field(client):
    html = client.get("/accounts/password-reset/").content.decode()
    assert '<label for="id_email">' in html
    assert re.search(r'<input [^>]*autocomplete="email"', html)


def test_reset_emails_are_rate_limited_per_network(client, frozen_clock):
    UserFactory(email="ines@example.org")
    for n in range(5):
        client.post("/accounts/password-reset/", {"email": f"guess{n}@example.org"})

    response = client.post("/accounts/password-reset/", {"email": "ines@example.org"})

    assert response.status_code == 429
    assert response["Retry-After"] == "800"
    assert (
        '<div class="form-errors" role="alert"><p>You are asking for password resets too '
        "quickly. Please wait 14 minutes and try again.</p></div>"
    ) in response.content.decode()
    assert 'value="ines@example.org"' in response.content.decode()
    assert mail.outbox == []
