"""Hash IP addresses before they reach the referee or the database."""

from __future__ import annotations

from django.utils.crypto import salted_hmac


def ip_hash(ip: str) -> str:
    """Return a keyed hash of an IP address (empty for no address); the address is not kept."""
    ip = ip.strip()
    if not ip:
        return ""
    return salted_hmac("broadsheet.moderation.ip", ip, algorithm="sha256").hexdigest()[:40]
