"""Share links: plain URLs to each network's own share page; no third-party script or tracker.

One table, SHARE_TARGETS, says where each network's share page is and which query parameters it
takes. Every link works without JavaScript; share.js only adds what needs it (copying the link,
the browser's own share sheet, and asking a Mastodon reader for their server).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import reverse


@dataclass(frozen=True)
class ShareTarget:
    """A network's share page: its base URL and what each query parameter carries.

    `params` maps a query parameter to what goes in it: "url" (the article's address), "title"
    (its headline) or "text" (headline and address together, for networks that take one field).
    A base with "{host}" is a network of many servers (Mastodon): the reader names theirs.
    """

    service: str
    label: str
    base: str
    params: tuple[tuple[str, str], ...]
    new_tab: bool = True

    @property
    def asks_host(self) -> bool:
        """Whether the reader must name their server first."""
        return "{host}" in self.base

    def href(self, *, url: str, title: str, host: str = "") -> str:
        """Return the share link for an absolute URL and its title (on `host`, if it asks one)."""
        values = {"url": url, "title": title, "text": f"{title} {url}"}
        # %20 for spaces, never "+": mail clients and some apps show a literal plus sign.
        query = urlencode([(name, values[what]) for name, what in self.params], quote_via=quote)
        base = self.base.replace("{host}", host) if self.asks_host else self.base
        return f"{base}?{query}"


# In the order readers see them. Mastodon has no one address (every server is its own site), so
# its link in the row is this site's own page, which asks for the reader's server.
SHARE_TARGETS: tuple[ShareTarget, ...] = (
    ShareTarget("x", "X", "https://twitter.com/intent/tweet", (("url", "url"), ("text", "title"))),
    ShareTarget(
        "facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php", (("u", "url"),)
    ),
    ShareTarget(
        "linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/", (("url", "url"),)
    ),
    ShareTarget("whatsapp", "WhatsApp", "https://wa.me/", (("text", "text"),)),
    ShareTarget(
        "reddit", "Reddit", "https://www.reddit.com/submit", (("url", "url"), ("title", "title"))
    ),
    ShareTarget(
        "telegram", "Telegram", "https://t.me/share/url", (("url", "url"), ("text", "title"))
    ),
    ShareTarget("bluesky", "Bluesky", "https://bsky.app/intent/compose", (("text", "text"),)),
    ShareTarget("mastodon", "Mastodon", "https://{host}/share", (("text", "text"),)),
    ShareTarget(
        "email", "Email", "mailto:", (("subject", "title"), ("body", "url")), new_tab=False
    ),
)
TARGETS_BY_SERVICE = {target.service: target for target in SHARE_TARGETS}

# A Mastodon server's host name: dot-separated labels of letters, digits and hyphens, a port at
# most. Anything else is refused rather than guessed at: the answer is a redirect to that host.
_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::[0-9]{1,5})?"
)


@dataclass(frozen=True)
class ShareLink:
    """One share link in a row: the service, its label, the link and whether it opens a tab."""

    service: str
    label: str
    href: str
    new_tab: bool
    # For a network of many servers: the target with "{host}" left for the reader's server.
    template: str = ""


def share_links(*, url: str, title: str) -> list[ShareLink]:
    """Return the row's share links for an absolute URL and its title, in the table's order."""
    links = []
    for target in SHARE_TARGETS:
        if target.asks_host:
            ask = reverse("feeds:share-host", kwargs={"service": target.service})
            href = f"{ask}?" + urlencode({"url": url}, quote_via=quote)
            template = target.href(url=url, title=title, host="{host}")
            links.append(ShareLink(target.service, target.label, href, False, template))
        else:
            href = target.href(url=url, title=title)
            links.append(ShareLink(target.service, target.label, href, target.new_tab))
    return links


def host_clean(raw: str) -> str | None:
    """Return the server's host name in what a reader typed ("https://Mastodon.Social/" too)."""
    host = raw.strip().lower()
    for prefix in ("https://", "http://"):
        host = host.removeprefix(prefix)
    # "mastodon.social/@me" and "@me@mastodon.social" both name the server mastodon.social.
    host = host.split("/", 1)[0]
    host = host.rsplit("@", 1)[-1]
    if len(host) > 253 or not _HOST.fullmatch(host):
        return None
    return host
