"""Client addresses, edit tokens and form stamps: what can and cannot be forged."""

from __future__ import annotations

import time
from typing import Any

from django.test import RequestFactory, override_settings

from broadsheet.core.network import client_ip
from broadsheet.discussion.security import (
    comment_token,
    comment_token_valid,
    form_timestamp_read,
    form_timestamp_sign,
)


def request_from(remote: str, forwarded: str = ""):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/comments/post/", **extra)


def test_forwarded_header_is_ignored_without_a_trusted_proxy():
    assert client_ip(request_from("198.51.100.1", "203.0.113.9")) == "198.51.100.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_gives_the_address_it_saw():
    request = request_from("10.0.0.2", "6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # the spoofed first entry is not believed


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_missing_hops_fall_back_to_the_socket_address():
    assert client_ip(request_from("10.0.0.2", "203.0.113.9")) == "10.0.0.2"


def test_edit_token_is_bound_to_its_comment():
    token = comment_token(41)
    assert comment_token_valid(41, token)
    assert not comment_token_valid(42, token)
    assert not comment_token_valid(41, token[:-2] + "xx")
    assert not comment_token_valid(41, "")


def test_form_stamp_round_trips_and_rejects_forgery():
    stamp = form_timestamp_sign(time.time() - 10, thread_id=7)
    assert 9 < time.time() - form_timestamp_read(stamp, thread_id=7) < 12
    assert form_timestamp_read(stamp, thread_id=8) is None  # bound to its thread
    assert form_timestamp_read("1700000000.0", thread_id=7) is None
    assert form_timestamp_read("", thread_id=7) is None
