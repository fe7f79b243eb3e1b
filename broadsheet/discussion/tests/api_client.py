"""Calling the JSON API as an embedding page's script does: JSON bodies, the edit token header."""

from __future__ import annotations

import itertools
import json
from typing import Any

from django.test import Client

from broadsheet.discussion.models import Thread

EMBEDDER = "https://blog.example.net"
_addresses = itertools.count(1)


def api_post(client: Client, data, *, origin: str | None = None, **extra):
    """POST JSON to /api/comments from its own client address (rate limits stay out of the way)."""
    n = next(_addresses)
    extra.setdefault("REMOTE_ADDR", f"10.9.{n // 250 % 250}.{n % 250}")
    if origin:
        extra["HTTP_ORIGIN"] = origin
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post("/api/comments", body, content_type="application/json", **extra)


def guest(**fields) -> dict:
    """A guest's comment for /api/comments, from an address of its own."""
    n = next(_addresses)
    return {
        "body": "Thoughtful words about the story.",
        "author_name": "Mira Quell",
        "author_email": f"mira{n}@example.org",
        **fields,
    }


def ids(nodes) -> list[int]:
    """The comment ids of a list of comments in an answer, in order."""
    return [node["id"] for node in nodes]


def api_posted(client: Client, thread: Thread, **fields) -> tuple[int, str]:
    """Post a guest's comment through the API; return its id and its edit token."""
    response = api_post(client, guest(key=thread.key, **fields))
    assert response.status_code == 201
    return response.json()["comment"]["id"], response.json()["token"]


def api_patch(client: Client, comment_id: int, data, token: str | None = None):
    """PATCH a comment, with the edit token in its header when one is given."""
    headers: dict[str, Any] = {"HTTP_X_COMMENT_TOKEN": token} if token else {}
    return client.patch(
        f"/api/comments/{comment_id}",
        json.dumps(data),
        content_type="application/json",
        **headers,
    )


def api_report(client: Client, comment_id: int, data, **extra):
    """POST a reader's report of a comment."""
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    extra.setdefault("REMOTE_ADDR", "10.77.0.1")
    return client.post(
        f"/api/comments/{comment_id}/report", body, content_type="application/json", **extra
    )
