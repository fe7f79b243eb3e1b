"""The site as a WordPress export (WXR 1.2) that WordPress's own importer accepts.

Written as a stream, one element at a time, to a text stream: memory stays bounded whatever the
size of the site (rows come from `.iterator()`, comments thread by thread). Every value goes
through `xml.sax.saxutils` escaping or a CDATA section split at "]]>"; the small writer below
exists only because XMLGenerator has no CDATA, which WordPress writes for every free text and
its regex parser expects. Elements sit on their own lines, as WordPress writes them, because
that parser reads the file line by line (`<item>` must start a line).

The export is for the site's owner: comment authors' and staff users' emails are included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone

from broadsheet.discussion.models import Comment, Thread
from broadsheet.ingest.models import Linkback
from broadsheet.newsroom.embed import article_thread_key
from broadsheet.newsroom.models import Article, Byline, Image, Section, Tag

WXR_VERSION = "1.2"
NAMESPACES = {
    "xmlns:excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:wp": "http://wordpress.org/export/1.2/",
}
POST_STATUS: dict[str, str] = {
    Article.Status.PUBLISHED: "publish",
    Article.Status.SCHEDULED: "future",
    Article.Status.DRAFT: "draft",
}
# WordPress has no "rejected" or "deleted": both are its trash; the exact status rides along in
# commentmeta so a Broadsheet import can restore it.
COMMENT_APPROVED: dict[str, str] = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.REJECTED: "trash",
    Comment.Status.DELETED: "trash",
}
LINKBACK_APPROVED: dict[str, str] = {
    Linkback.Status.APPROVED: "1",
    Linkback.Status.PENDING: "0",
    Linkback.Status.SPAM: "spam",
    Linkback.Status.REJECTED: "trash",
}
NO_DATE = "0000-00-00 00:00:00"
# XML 1.0 cannot carry these at all, escaped or not: WordPress's parser would refuse the file.
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ARTICLE_CHUNK = 200


@dataclass(frozen=True)
class WxrExported:
    """What an export wrote."""

    articles: int
    attachments: int
    authors: int
    sections: int
    tags: int
    comments: int
    linkbacks: int
    skipped_threads: int  # threads of pages that are not articles: WXR has no place for them
    skipped_comments: int


def _clean(value: object) -> str:
    return INVALID_XML_CHARS.sub("", "" if value is None else str(value))


class _Writer:
    """A minimal streaming XML writer: escaped text, quoted attributes, split CDATA."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.depth = 0
        self.one_line = False

    def _indent(self) -> None:
        if not self.one_line:
            self.out.write("\n" + "\t" * self.depth)

    @contextmanager
    def on_one_line(self, tag: str) -> Iterator[None]:
        """An element written whole on one line, as WordPress writes <wp:author>."""
        self.start(tag)
        self.one_line = True
        try:
            yield
        finally:
            self.depth -= 1
            self.out.write(f"</{tag}>")
            self.one_line = False

    def start(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self._indent()
        attributes = "".join(f" {k}={quoteattr(_clean(v))}" for k, v in (attrs or {}).items())
        self.out.write(f"<{tag}{attributes}>")
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        self._indent()
        self.out.write(f"</{tag}>")

    @contextmanager
    def element(self, tag: str, attrs: dict[str, str] | None = None) -> Iterator[None]:
        self.start(tag, attrs)
        yield
        self.end(tag)

    def text(self, tag: str, value: object, attrs: dict[str, str] | None = None) -> None:
        self._indent()
        attributes = "".join(f" {k}={quoteattr(_clean(v))}" for k, v in (attrs or {}).items())
        self.out.write(f"<{tag}{attributes}>{escape(_clean(value))}</{tag}>")

    def cdata(self, tag: str, value: object, attrs: dict[str, str] | None = None) -> None:
        self._indent()
        attributes = "".join(f" {k}={quoteattr(_clean(v))}" for k, v in (attrs or {}).items())
        # "]]>" cannot appear inside a CDATA section: close it after "]]" and reopen before ">".
        body = _clean(value).replace("]]>", "]]]]><![CDATA[>")
        self.out.write(f"<{tag}{attributes}><![CDATA[{body}]]></{tag}>")


def _local(moment: datetime | None) -> str:
    if moment is None:
        return NO_DATE
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _gmt(moment: datetime | None) -> str:
    if moment is None:
        return NO_DATE
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _rfc822(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path


def _byline_login(byline: Byline) -> str:
    """dc:creator: a staff user's login (it matches a wp:author), else the printed name."""
    if byline.user is not None and not byline.name:
        return byline.user.username
    return byline.display_name


def _postmeta(w: _Writer, key: str, value: object) -> None:
    with w.element("wp:postmeta"):
        w.cdata("wp:meta_key", key)
        w.cdata("wp:meta_value", value)


def _channel_head(w: _Writer) -> None:
    w.text("title", settings.SITE_NAME)
    w.text("link", settings.SITE_URL)
    w.text("description", "")
    w.text("pubDate", _rfc822(timezone.now()))
    w.text("language", settings.LANGUAGE_CODE)
    w.text("wp:wxr_version", WXR_VERSION)
    w.text("wp:base_site_url", settings.SITE_URL)
    w.text("wp:base_blog_url", settings.SITE_URL)


def _authors(w: _Writer) -> int:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(byline__isnull=False)
        .distinct()
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    count = 0
    for user in users:
        # WordPress's fallback parser reads an author only when it sits on one line.
        with w.on_one_line("wp:author"):
            w.text("wp:author_id", user.pk)
            w.cdata("wp:author_login", user.username)
            w.cdata("wp:author_email", user.email)
            w.cdata("wp:author_display_name", user.public_name)
            w.cdata("wp:author_first_name", user.first_name)
            w.cdata("wp:author_last_name", user.last_name)
        count += 1
    return count


def _terms(w: _Writer) -> tuple[int, int]:
    sections = 0
    for section in Section.objects.order_by("pk").iterator(chunk_size=500):
        with w.element("wp:category"):
            w.text("wp:term_id", section.pk)
            w.cdata("wp:category_nicename", section.slug)
            w.cdata("wp:category_parent", "")
            w.cdata("wp:cat_name", section.name)
            if section.description:
                w.cdata("wp:category_description", section.description)
        sections += 1
    tags = 0
    # Term ids are one space in WordPress: tags follow the sections'.
    offset = Section.objects.aggregate(top=Max("pk"))["top"] or 0
    for tag in Tag.objects.order_by("pk").iterator(chunk_size=500):
        with w.element("wp:tag"):
            w.text("wp:term_id", offset + tag.pk)
            w.cdata("wp:tag_slug", tag.slug)
            w.cdata("wp:tag_name", tag.name)
        tags += 1
    return sections, tags


def _php_image_meta(credit: str) -> str:
    """PHP's serialization of {"image_meta": {"credit": credit}}, lengths in UTF-8 bytes."""
    credit = credit.replace('"', "'")  # readers of this field stop at the first quote
    size = len(credit.encode())
    return f'a:1:{{s:10:"image_meta";a:1:{{s:6:"credit";s:{size}:"{credit}";}}}}'


def _attachment(w: _Writer, image: Image, *, post_id: int, parent_id: int) -> None:
    url = _absolute(image.file.url) if image.file else image.original_url
    with w.element("item"):
        w.cdata("title", image.alt_text or image.caption[:60] or f"Image {image.pk}")
        w.text("link", url)
        w.text("pubDate", _rfc822(image.created_at))
        w.cdata("dc:creator", "")
        w.text("guid", url, {"isPermaLink": "false"})
        w.text("description", "")
        w.cdata("content:encoded", "")
        # WordPress keeps an attachment's caption in its excerpt.
        w.cdata("excerpt:encoded", image.caption)
        w.text("wp:post_id", post_id)
        w.cdata("wp:post_date", _local(image.created_at))
        w.cdata("wp:post_date_gmt", _gmt(image.created_at))
        w.cdata("wp:comment_status", "closed")
        w.cdata("wp:ping_status", "closed")
        w.cdata("wp:post_name", f"image-{image.pk}")
        w.cdata("wp:status", "inherit")
        w.text("wp:post_parent", parent_id)
        w.text("wp:menu_order", 0)
        w.cdata("wp:post_type", "attachment")
        w.cdata("wp:post_password", "")
        w.text("wp:is_sticky", 0)
        w.cdata("wp:attachment_url", url)
        _postmeta(w, "_wp_attachment_image_alt", image.alt_text)
        if image.credit:
            # Where WordPress itself keeps a photo credit (read from the file's IPTC data).
            _postmeta(w, "_wp_attachment_metadata", _php_image_meta(image.credit))
            _postmeta(w, "_broadsheet_credit", image.credit)
        if image.second_caption:
            _postmeta(w, "_broadsheet_second_caption", image.second_caption)


def _comment_rows(thread: Thread | None) -> Iterable[Comment]:
    if thread is None:
        return ()
    # Path order puts every parent before its replies, as WordPress's importer needs.
    return thread.comments.select_related("user").order_by("path").iterator(chunk_size=1000)


def _comments(w: _Writer, thread: Thread | None) -> int:
    count = 0
    for comment in _comment_rows(thread):
        with w.element("wp:comment"):
            w.text("wp:comment_id", comment.pk)
            w.cdata("wp:comment_author", comment.author_name or comment.display_name)
            w.cdata("wp:comment_author_email", comment.author_email)
            w.cdata("wp:comment_author_url", comment.author_url)
            w.cdata("wp:comment_author_IP", "")  # only a keyed hash is stored
            w.cdata("wp:comment_date", _local(comment.created_at))
            w.cdata("wp:comment_date_gmt", _gmt(comment.created_at))
            w.cdata("wp:comment_content", comment.body_html)
            w.cdata("wp:comment_approved", COMMENT_APPROVED[comment.status])
            w.cdata("wp:comment_type", "comment")
            w.text("wp:comment_parent", comment.parent_id or 0)
            w.text("wp:comment_user_id", comment.user_id or 0)
            with w.element("wp:commentmeta"):
                w.cdata("wp:meta_key", "_broadsheet_status")
                w.cdata("wp:meta_value", comment.status)
        count += 1
    return count


def _linkbacks(w: _Writer, article: Article, *, id_offset: int) -> int:
    count = 0
    for linkback in article.linkbacks.order_by("created_at", "pk").iterator(chunk_size=500):
        with w.element("wp:comment"):
            w.text("wp:comment_id", id_offset + linkback.pk)
            w.cdata("wp:comment_author", linkback.source_name)
            w.cdata("wp:comment_author_email", "")
            w.cdata("wp:comment_author_url", linkback.source_url)
            w.cdata("wp:comment_author_IP", "")
            w.cdata("wp:comment_date", _local(linkback.created_at))
            w.cdata("wp:comment_date_gmt", _gmt(linkback.created_at))
            w.cdata("wp:comment_content", linkback.excerpt)
            w.cdata("wp:comment_approved", LINKBACK_APPROVED[linkback.status])
            w.cdata("wp:comment_type", linkback.kind)
            w.text("wp:comment_parent", 0)
            w.text("wp:comment_user_id", 0)
        count += 1
    return count


def _article(
    w: _Writer,
    article: Article,
    *,
    thread: Thread | None,
    attachment_offset: int,
    linkback_offset: int,
) -> tuple[int, int]:
    url = _absolute(article.get_absolute_url())
    bylines = list(article.bylines.all())
    with w.element("item"):
        w.cdata("title", article.headline)
        w.text("link", url)
        w.text("pubDate", _rfc822(article.published_at))
        # One dc:creator: WordPress's parsers disagree on several (SimpleXML reads the first,
        # its xml parser the last); every byline rides in _broadsheet_bylines below.
        w.cdata("dc:creator", _byline_login(bylines[0]) if bylines else "")
        w.text("guid", f"{settings.SITE_URL}/?p={article.pk}", {"isPermaLink": "false"})
        w.text("description", "")
        # The rendered, sanitized HTML: what WordPress stores in post_content.
        w.cdata("content:encoded", article.body_html)
        w.cdata("excerpt:encoded", article.dek)
        w.text("wp:post_id", article.pk)
        # A draft never published has no date in WordPress's sense; its GMT date stays empty.
        w.cdata("wp:post_date", _local(article.published_at or article.created_at))
        w.cdata("wp:post_date_gmt", _gmt(article.published_at))
        w.cdata("wp:post_modified", _local(article.updated_at))
        w.cdata("wp:post_modified_gmt", _gmt(article.updated_at))
        w.cdata("wp:comment_status", "open" if article.comments_enabled else "closed")
        w.cdata("wp:ping_status", "open" if article.comments_enabled else "closed")
        w.cdata("wp:post_name", article.slug)
        w.cdata("wp:status", POST_STATUS[article.status])
        w.text("wp:post_parent", 0)
        w.text("wp:menu_order", 0)
        w.cdata("wp:post_type", "post")
        w.cdata("wp:post_password", "")
        w.text("wp:is_sticky", 0)
        if article.section is not None:
            w.cdata(
                "category",
                article.section.name,
                {"domain": "category", "nicename": article.section.slug},
            )
        for tag in article.tags.all():
            w.cdata("category", tag.name, {"domain": "post_tag", "nicename": tag.slug})
        if article.lead_image_id:
            _postmeta(w, "_thumbnail_id", attachment_offset + article.lead_image_id)
        if len(bylines) > 1 or any(b.role for b in bylines):
            # WordPress has one author a post: every byline, in order, for a Broadsheet import.
            _postmeta(
                w,
                "_broadsheet_bylines",
                json.dumps(
                    [
                        {"name": b.display_name, "login": _byline_login(b), "role": b.role}
                        for b in bylines
                    ]
                ),
            )
        if article.credit_line:
            _postmeta(w, "_broadsheet_credit_line", article.credit_line)
        comments = _comments(w, thread)
        linkbacks = _linkbacks(w, article, id_offset=linkback_offset)
    return comments, linkbacks


def wxr_export(*, out: TextIO, progress: Callable[[int, int], None] | None = None) -> WxrExported:
    """Write every article, its terms, authors, images and comments to out as WXR 1.2."""
    w = _Writer(out)
    out.write('<?xml version="1.0" encoding="UTF-8" ?>')
    out.write("\n<!-- This is a WordPress eXtended RSS file generated by Broadsheet. -->")
    total = Article.objects.count()
    article_top = Article.objects.aggregate(top=Max("pk"))["top"] or 0
    comment_top = Comment.objects.aggregate(top=Max("pk"))["top"] or 0
    articles = comments = linkbacks = attachments = 0
    with w.element("rss", {"version": "2.0", **NAMESPACES}):
        with w.element("channel"):
            _channel_head(w)
            authors = _authors(w)
            sections, tags = _terms(w)
            first_use = (
                Article.objects.filter(lead_image__isnull=False)
                .order_by("lead_image_id", "pk")
                .values_list("lead_image_id", "pk")
            )
            parent_of: dict[int, int] = {}
            for image_id, article_id in first_use.iterator(chunk_size=2000):
                parent_of.setdefault(image_id, article_id)
            for image in Image.objects.order_by("pk").iterator(chunk_size=500):
                _attachment(
                    w,
                    image,
                    post_id=article_top + image.pk,
                    parent_id=parent_of.get(image.pk, 0),
                )
                attachments += 1
            rows = (
                Article.objects.select_related("section")
                .prefetch_related(
                    Prefetch("bylines", queryset=Byline.objects.select_related("user")),
                    "tags",
                    "credits__source",
                )
                .order_by("pk")
            )
            for article in rows.iterator(chunk_size=ARTICLE_CHUNK):
                thread = Thread.objects.filter(key=article_thread_key(article)).first()
                made, pinged = _article(
                    w,
                    article,
                    thread=thread,
                    attachment_offset=article_top,
                    linkback_offset=comment_top,
                )
                comments += made
                linkbacks += pinged
                articles += 1
                if progress is not None:
                    progress(articles, total)
    out.write("\n")
    article_keys = Thread.objects.filter(key__startswith="article:")
    skipped_threads = Thread.objects.exclude(pk__in=article_keys).filter(comments__isnull=False)
    return WxrExported(
        articles=articles,
        attachments=attachments,
        authors=authors,
        sections=sections,
        tags=tags,
        comments=comments,
        linkbacks=linkbacks,
        skipped_threads=skipped_threads.distinct().count(),
        skipped_comments=Comment.objects.exclude(thread__key__startswith="article:").count(),
    )
