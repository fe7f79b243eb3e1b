"""WXR 1.1/1.2 (WordPress 5 and 6 exports) read into plain records: posts, attachments, comments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

WP_VERSIONS = ("1.2", "1.1", "1.0")
WP = {version: f"http://wordpress.org/export/{version}/" for version in WP_VERSIONS}
CONTENT = "http://purl.org/rss/1.0/modules/content/"
EXCERPT = {version: f"http://wordpress.org/export/{version}/excerpt/" for version in WP_VERSIONS}
DC = "http://purl.org/dc/elements/1.1/"

COMMENT_TAGS = frozenset(f"{{{uri}}}comment" for uri in WP.values())
AUTHOR_TAGS = frozenset(f"{{{uri}}}author" for uri in WP.values())
ITEM = "item"
NO_DATE = "0000-00-00 00:00:00"


class WxrError(ValueError):
    """A record that cannot be imported as it is: the message says why."""


def wp_namespace(tag: str) -> str | None:
    """Return the WordPress export namespace of a Clark tag, if it has one."""
    for uri in WP.values():
        if tag.startswith("{" + uri + "}"):
            return uri
    return None


def _find(element: Element, uri: str, name: str) -> str:
    child = element.find(f"{{{uri}}}{name}")
    return (child.text or "") if child is not None else ""


def _date(gmt: str, local: str) -> datetime | None:
    """Read WordPress's GMT date, else its local date in the site's zone (WXR names none)."""
    for value, zone in ((gmt, ZoneInfo("UTC")), (local, None)):
        value = (value or "").strip()
        if not value or value.startswith("0000"):
            continue
        try:
            # WXR dates carry no zone: it is given just below (UTC, or the site's).
            naive = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007
        except ValueError:
            raise WxrError(f"unreadable date {value!r}") from None
        if zone is not None:
            return naive.replace(tzinfo=zone)
        return timezone.make_aware(naive, ZoneInfo(settings.TIME_ZONE))
    return None


@dataclass(frozen=True)
class WxrAuthor:
    """A wp:author entry: the login dc:creator names, and the name readers saw."""

    login: str
    display_name: str


def author_parse(element: Element) -> WxrAuthor:
    """Read a wp:author element."""
    uri = wp_namespace(element.tag) or WP["1.2"]
    login = _find(element, uri, "author_login").strip()
    name = _find(element, uri, "author_display_name").strip()
    first = _find(element, uri, "author_first_name").strip()
    last = _find(element, uri, "author_last_name").strip()
    return WxrAuthor(login=login, display_name=name or f"{first} {last}".strip() or login)


@dataclass(frozen=True)
class WxrItem:
    """An <item>'s fields (a post, a page or an attachment), without its comments."""

    wp_id: int
    post_type: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    date: datetime | None
    status: str
    slug: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    meta: dict[str, str]
    attachment_url: str = ""
    parent_id: int = 0

    @property
    def label(self) -> str:
        """How a report names it: "post 56 'Title'"."""
        return f"{self.post_type or 'item'} {self.wp_id} {self.title!r}"


def slug_decode(post_name: str) -> str:
    """WXR writes a non-ASCII slug percent-encoded ("caf%c3%a9-reopens"): give its words back."""
    return unquote(post_name.strip())


def item_parse(element: Element, *, version: str) -> WxrItem:
    """Read an <item> element; raise WxrError when it lacks what every export has."""
    wp = WP.get(version, WP["1.2"])
    raw_id = _find(element, wp, "post_id").strip()
    if not raw_id.isdigit():
        raise WxrError(f"wp:post_id {raw_id!r} is not a number" if raw_id else "no wp:post_id")
    categories: list[str] = []
    tags: list[str] = []
    for category in element.findall("category"):
        name = " ".join((category.text or "").split())
        if not name:
            continue
        if category.get("domain") == "category":
            categories.append(name)
        elif category.get("domain") == "post_tag":
            tags.append(name)
    meta: dict[str, str] = {}
    for entry in element.findall(f"{{{wp}}}postmeta"):
        key = _find(entry, wp, "meta_key")
        if key:
            meta[key] = _find(entry, wp, "meta_value")
    parent = _find(element, wp, "post_parent").strip()
    return WxrItem(
        wp_id=int(raw_id),
        post_type=_find(element, wp, "post_type").strip() or "post",
        title=" ".join((element.findtext("title") or "").split()),
        link=(element.findtext("link") or "").strip(),
        creator=_find(element, DC, "creator").strip(),
        content=_find(element, CONTENT, "encoded"),
        excerpt=_find(element, EXCERPT.get(version, EXCERPT["1.2"]), "encoded").strip(),
        date=_date(_find(element, wp, "post_date_gmt"), _find(element, wp, "post_date")),
        status=_find(element, wp, "status").strip() or "publish",
        slug=slug_decode(_find(element, wp, "post_name")),
        categories=tuple(dict.fromkeys(categories)),
        tags=tuple(dict.fromkeys(tags)),
        meta=meta,
        attachment_url=_find(element, wp, "attachment_url").strip(),
        parent_id=int(parent) if parent.isdigit() else 0,
    )


@dataclass(frozen=True)
class WxrComment:
    """A wp:comment: its ids, author, date, words, status and kind."""

    wp_id: int
    parent_id: int
    author: str
    author_email: str
    author_url: str
    date: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    kind: str  # "comment", "pingback", "trackback"
    line: int = 0
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def is_linkback(self) -> bool:
        """Pingbacks and trackbacks are notices from other sites, not readers' words."""
        return self.kind in ("pingback", "trackback")


def comment_parse(element: Element, *, line: int = 0) -> WxrComment:
    """Read a wp:comment element."""
    wp = wp_namespace(element.tag) or WP["1.2"]
    raw_id = _find(element, wp, "comment_id").strip()
    if not raw_id.isdigit():
        raise WxrError(f"comment at line {line}: wp:comment_id {raw_id!r} is not a number")
    parent = _find(element, wp, "comment_parent").strip()
    kind = _find(element, wp, "comment_type").strip().lower() or "comment"
    return WxrComment(
        wp_id=int(raw_id),
        parent_id=int(parent) if parent.isdigit() else 0,
        author=" ".join(_find(element, wp, "comment_author").split()),
        author_email=_find(element, wp, "comment_author_email").strip(),
        author_url=_find(element, wp, "comment_author_url").strip(),
        date=_date(_find(element, wp, "comment_date_gmt"), _find(element, wp, "comment_date")),
        content=_find(element, wp, "comment_content"),
        approved=_find(element, wp, "comment_approved").strip().lower() or "1",
        kind=kind,
        line=line,
        meta={
            key: _find(entry, wp, "meta_value")
            for entry in element.findall(f"{{{wp}}}commentmeta")
            if (key := _find(entry, wp, "meta_key"))
        },
    )


def uploads_path(url: str) -> str:
    """The part of an attachment's URL after /uploads/ ("2024/05/cafe.jpg"), or ""."""
    path = unquote(urlsplit(url).path)
    marker = "/uploads/"
    return path.split(marker, 1)[1] if marker in path else ""


_CREDIT = re.compile(r's:6:"credit";s:\d+:"([^"]*)"')


def attachment_credit(metadata: str) -> str:
    """The photo credit WordPress read from the file's IPTC data (in its serialized metadata)."""
    match = _CREDIT.search(metadata or "")
    return match.group(1).strip() if match else ""


def legacy_paths(item: WxrItem) -> list[str]:
    """The addresses WordPress served the post at: its permalink path and /?p=<id>."""
    paths = []
    if item.link:
        parts = urlsplit(item.link)
        path = unquote(parts.path) or "/"
        paths.append(path + (f"?{parts.query}" if parts.query else ""))
    paths.append(f"/?p={item.wp_id}")
    return list(dict.fromkeys(paths))


@dataclass
class ChannelInfo:
    """What the channel says before its items: the site, the WXR version, the authors."""

    site: str = ""
    version: str = ""
    authors: dict[str, str] = field(default_factory=dict)  # login: display name
