"""Plain share links: ordinary URLs to each network's share page, no third-party scripts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class ShareLink:
    """One share target: the network's name, a short label and the link."""

    network: str
    label: str
    href: str


def share_links(*, url: str, title: str) -> list[ShareLink]:
    """Return share links for an absolute URL and its title."""
    return [
        ShareLink(
            "x",
            "X (Twitter)",
            "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title}),
        ),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink(
            "reddit",
            "Reddit",
            "https://www.reddit.com/submit?" + urlencode({"url": url, "title": title}),
        ),
        ShareLink(
            "email",
            "Email",
            # Spaces as %20: mail clients show a literal "+" otherwise.
            "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        ),
    ]
