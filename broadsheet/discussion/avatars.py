"""Identicon avatars drawn by the site itself, addressed by a keyed hash that hides the email."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from broadsheet.discussion.security import keyed_hash

AVATAR_HASH_LENGTH = 32
GRID = 5
CELL = 8
PAD = 4


def avatar_hash(*, email: str = "", name: str = "") -> str:
    """Return the avatar key: a keyed hash of the email, or of the name when there is none."""
    email = (email or "").strip().lower()
    seed = f"email:{email}" if email else f"name:{' '.join((name or '').split()).lower()}"
    return keyed_hash("avatar", seed)[:AVATAR_HASH_LENGTH]


def avatar_url_for(*, email: str = "", name: str = "", size: int = 48) -> str:
    """Return the avatar image URL for a commenter."""
    if settings.GRAVATAR and email:
        # Opt-in: Gravatar needs the plain MD5 of the email, which is why it is off by default.
        digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
        query = urlencode({"s": size, "d": "identicon"})
        return f"https://www.gravatar.com/avatar/{digest}?{query}"
    return reverse("discussion:avatar", kwargs={"digest": avatar_hash(email=email, name=name)})


def identicon_svg(digest: str) -> str:
    """Draw a symmetric 5x5 identicon for a hex digest; the same digest gives the same image."""
    data = bytes.fromhex(digest.ljust(AVATAR_HASH_LENGTH, "0")[:AVATAR_HASH_LENGTH])
    hue = int.from_bytes(data[:2], "big") % 360
    saturation = 45 + data[2] % 25
    lightness = 40 + data[3] % 15
    colour = f"hsl({hue},{saturation}%,{lightness}%)"
    half = (GRID + 1) // 2
    bits = int.from_bytes(data[4:], "big")
    cells = []
    for column in range(half):
        for row in range(GRID):
            if bits >> (column * GRID + row) & 1:
                for x in {column, GRID - 1 - column}:
                    cells.append(
                        f'<rect x="{PAD + x * CELL}" y="{PAD + row * CELL}" '
                        f'width="{CELL}" height="{CELL}"/>'
                    )
    size = GRID * CELL + 2 * PAD
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img">'
        f'<rect width="{size}" height="{size}" fill="#f0f0f0"/>'
        f'<g fill="{colour}">{"".join(cells)}</g></svg>'
    )
