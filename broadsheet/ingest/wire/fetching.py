"""Polite HTTP for the wire desk: conditional GET, a timeout, a size limit, our name."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

USER_AGENT = "Broadsheet-WireDesk/1.0 (news wire poller of a Broadsheet site)"
CHUNK = 65536


class FetchError(Exception):
    """The feed could not be fetched: the message is what staff read as the last error."""


@dataclass(frozen=True)
class Fetched:
    """One answer: 304 (not modified, no content) or 200 with its content and validators."""

    status: int
    content: bytes = b""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """Whether the server said nothing changed since the validators we sent."""
        return self.status == 304


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET `url`, sending the stored validators; raise FetchError on any failure."""
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"only http and https addresses are fetched, not {url!r}")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/json, application/xml;q=0.9, */*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    timeout = settings.WIRE_FETCH_TIMEOUT
    limit = settings.WIRE_MAX_BYTES
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"the feed is {int(declared)} bytes, over the {limit} byte limit")
            content = _read_limited(response, limit)
            return Fetched(
                status=response.status,
                content=content,
                etag=response.headers.get("ETag", "")[:300],
                last_modified=response.headers.get("Last-Modified", "")[:100],
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(status=304, etag=etag, last_modified=last_modified)
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"no answer within {timeout} seconds") from None
        raise FetchError(f"could not connect: {reason}") from None
    except TimeoutError:
        raise FetchError(f"no answer within {timeout} seconds") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"fetch failed: {exc}") from None


def _read_limited(response, limit: int) -> bytes:
    """Read at most `limit` bytes; a longer answer is refused rather than cut."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"the feed is over the {limit} byte limit")
        chunks.append(chunk)
    return b"".join(chunks)
