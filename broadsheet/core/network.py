"""Who is asking: the client's address behind trusted proxies, and its keyed hash."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP, trusting X-Forwarded-For only for the configured proxy hops."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Each trusted proxy appended one address; the client is the one the outermost proxy saw.
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


def ip_hash(ip: str) -> str:
    """Return a keyed hash of an IP address (empty for none), so the address is never stored."""
    ip = ip.strip()
    if not ip:
        return ""
    key = f"broadsheet.ip:{settings.SECRET_KEY}".encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()
