"""import_wxr: a WordPress export streamed into articles, images, comments and old addresses.

Each post with its comments is one transaction: opened at the post's fields (the record's
HEAD), fed its comments one by one, committed at its END. A post that fails is rolled back and
reported with its line; the others import. Identity is the source site plus WordPress's ids,
so importing the same file again updates and never duplicates.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from broadsheet.core.progress import Progress
from broadsheet.ingest.wordpress.comments import CommentCounts, CommentLoader
from broadsheet.ingest.wordpress.media import body_media_rewrite, media_key
from broadsheet.ingest.wordpress.posts import attachment_write, legacy_urls_set, post_write
from broadsheet.ingest.wordpress.wxr import (
    AUTHOR_TAGS,
    COMMENT_TAGS,
    ITEM,
    WP,
    WxrError,
    WxrItem,
    author_parse,
    comment_parse,
    item_parse,
)
from broadsheet.ingest.xmlstream import CHILD, END, HEAD, WHOLE, ImportFileError, RecordStream
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, Image

PINGBACK_CHOICES = ("keep", "skip")
_ITEM_ERRORS = (ValidationError, WxrError, ValueError, TypeError, KeyError, DatabaseError)


@dataclass(frozen=True)
class Tally:
    """Created, updated, unchanged and skipped (with why) for one kind of thing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def line(self, name: str) -> str:
        """One line of the summary."""
        text = f"{name}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        skipped = sum(self.skipped.values())
        if skipped:
            why = "; ".join(f"{reason}: {n}" for reason, n in sorted(self.skipped.items()))
            text += f", {skipped} skipped ({why})"
        return text


@dataclass(frozen=True)
class WxrImportSummary:
    """What import_wxr did (or, on a dry run, would do)."""

    path: Path
    site: str
    dry_run: bool
    posts: Tally
    attachments: Tally
    comments: Tally
    linkbacks: Tally
    review_imported: int  # comments kept as the source had them that the referee would not
    held_by_referee: int  # --moderate: comments whose status the referee changed
    legacy_urls: int
    shortcodes_removed: dict[str, int]
    captions: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    def lines(self) -> list[str]:
        """The summary as a command prints it."""
        head = "Dry run: nothing was written. Would import" if self.dry_run else "Imported"
        out = [f"{head} {self.path} from {self.site or 'an unnamed site'}:"]
        for name, tally in (
            ("posts", self.posts),
            ("attachments", self.attachments),
            ("comments", self.comments),
            ("linkbacks", self.linkbacks),
        ):
            out.append("  " + tally.line(name))
        out.append(
            f"  referee: {self.review_imported} kept for review (Review imported tab), "
            f"{self.held_by_referee} held or refused (--moderate)"
        )
        out.append(f"  old addresses redirected: {self.legacy_urls} new")
        if self.captions or self.shortcodes_removed:
            removed = ", ".join(f"[{k}] x{n}" for k, n in sorted(self.shortcodes_removed.items()))
            out.append(
                f"  shortcodes: {self.captions} [caption] made figures"
                + (f"; removed, text kept: {removed}" if removed else "")
            )
        out.extend(f"  warning: {w}" for w in self.warnings)
        out.extend(f"  error: {e}" for e in self.errors)
        return out


class _Run:
    """The state of one import run across the stream's records."""

    def __init__(
        self, *, path: Path, dry_run: bool, pingbacks: str, moderate: bool, media_dir: Path | None
    ) -> None:
        self.path, self.dry_run, self.pingbacks = path, dry_run, pingbacks
        self.moderate, self.media_dir = moderate, media_dir
        self.site = ""
        self.site_key = ""
        self.version = ""
        self.authors: dict[str, str] = {}
        self.tallies: dict[str, Counter[str]] = {
            k: Counter() for k in ("posts", "attachments", "comments", "linkbacks")
        }
        self.skipped: dict[str, Counter[str]] = {k: Counter() for k in self.tallies}
        self.comment_counts = CommentCounts()
        self.legacy = 0
        self.captions = 0
        self.removed: Counter[str] = Counter()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        # Posts whose featured image comes later in the file: attachment id -> article ids.
        self.thumbnails_wanted: dict[int, list[int]] = {}
        # Uploads brought in (media key -> this site's file URL), and the articles showing
        # old-site photos in their text, rewritten once the whole file is read.
        self.local_media: dict[str, str] = {}
        self.bodies_with_uploads: list[int] = []
        # The post being imported: its open transaction and its comment loader.
        self.atomic: Any = None
        self.loader: CommentLoader | None = None
        self.current: WxrItem | None = None
        self.current_line = 0
        self.failed = False

    # The channel --------------------------------------------------------------------------

    def channel_read(self, stream: RecordStream) -> None:
        """Learn the site and version from the channel's header, or refuse a non-WXR file."""
        if self.version:
            return
        root = stream.root_tag() or _root_tag(self.path)
        if root != "rss":
            raise ImportFileError(
                f"{self.path}: not a WordPress export: the root element is <{root}>, not <rss>."
            )
        header = stream.header
        for version, uri in WP.items():
            value = header.get(f"{{{uri}}}wxr_version")
            if value:
                self.version = version
                break
        else:
            raise ImportFileError(
                f"{self.path}: an RSS feed, not a WordPress export (no wp:wxr_version in the "
                "channel; export from Tools → Export in WordPress)."
            )
        uri = WP[self.version]
        self.site = (
            header.get(f"{{{uri}}}base_site_url") or header.get(f"{{{uri}}}base_blog_url") or ""
        ).strip() or header.get("link", "").strip()
        parts = urlsplit(self.site)
        site = (parts.netloc + parts.path.rstrip("/")).lower() or "unknown-site"
        if len(site) > 60:
            site = hashlib.sha256(site.encode()).hexdigest()[:24]
        self.site_key = f"wxr:{site}"

    def key(self, kind: str, wp_id: int) -> str:
        """An import key: the source site, then the kind and WordPress's id."""
        return f"{self.site_key}:{kind}:{wp_id}"

    # Records ------------------------------------------------------------------------------

    def record(self, stream: RecordStream, kind: str, element, line: int) -> None:
        """Handle one record of the stream."""
        tag = element.tag
        if tag in AUTHOR_TAGS and kind == WHOLE:
            author = author_parse(element)
            if author.login:
                self.authors[author.login] = author.display_name
            return
        if tag in COMMENT_TAGS and kind == CHILD:
            self.comment(element, line)
            return
        if tag != ITEM:
            return
        self.channel_read(stream)
        if kind == HEAD:
            self.post_begin(element, line)
        elif kind == END:
            self.post_end()
        else:
            self.post_begin(element, line)
            self.post_end()

    def _fail(self, exc: Exception) -> None:
        label = self.current.label if self.current else "item"
        reason = _reason(exc)
        self.errors.append(f"item at line {self.current_line} ({label}): {reason}")
        self.failed = True
        self._close(rollback=True)

    def _close(self, *, rollback: bool) -> None:
        if self.atomic is None:
            return
        if rollback or self.dry_run:
            transaction.set_rollback(True)
        atomic, self.atomic = self.atomic, None
        atomic.__exit__(None, None, None)

    def post_begin(self, element, line: int) -> None:
        """Open the post's transaction and write its article (or image)."""
        self.current, self.current_line, self.failed, self.loader = None, line, False, None
        try:
            item = item_parse(element, version=self.version)
        except _ITEM_ERRORS as exc:
            self.errors.append(f"item at line {line}: {_reason(exc)}")
            self.failed = True
            return
        self.current = item
        kind = "attachments" if item.post_type == "attachment" else "posts"
        if item.post_type not in ("post", "attachment"):
            self.skipped["posts"][f"post type {item.post_type!r} (not imported)"] += 1
            self.failed = True
            return
        if item.post_type == "post" and item.status == "trash":
            self.skipped["posts"]["in the trash"] += 1
            self.failed = True
            return
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        try:
            if kind == "attachments":
                self._attachment(item)
            else:
                self._post(item)
        except _ITEM_ERRORS as exc:
            self._fail(exc)

    def _attachment(self, item: WxrItem) -> None:
        written = attachment_write(
            item=item,
            key=self.key("attachment", item.wp_id),
            media_dir=self.media_dir,
            dry_run=self.dry_run,
        )
        self.tallies["attachments"][written.outcome] += 1
        if written.missing_file:
            self.warnings.append(
                f"attachment {item.wp_id}: {item.attachment_url} is not in the media folder "
                "(kept its caption and address only)"
            )
        if written.image is not None and written.image.file:
            self.local_media[media_key(item.attachment_url)] = written.image.file.url
        for article_id in self.thumbnails_wanted.pop(item.wp_id, []):
            # On a dry run the post before was rolled back: there is no article to point.
            article = Article.objects.filter(pk=article_id).first()
            if article is not None:
                newsroom.article_update(article=article, lead_image=written.image)

    def bodies_media_point(self) -> None:
        """Show this site's copies of the photos in imported texts (each article on its own)."""
        if self.dry_run or not self.local_media:
            return
        for article in Article.objects.filter(pk__in=self.bodies_with_uploads):
            body = body_media_rewrite(article.body, self.local_media)
            if body != article.body:
                newsroom.article_update(article=article, body=body)

    def _post(self, item: WxrItem) -> None:
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        lead = None
        if thumbnail.isdigit():
            lead = Image.objects.filter(import_key=self.key("attachment", int(thumbnail))).first()
        written = post_write(
            item=item, key=self.key("post", item.wp_id), authors=self.authors, lead_image=lead
        )
        if thumbnail.isdigit() and lead is None:
            self.thumbnails_wanted.setdefault(int(thumbnail), []).append(written.article.pk)
        if "/uploads/" in written.article.body:
            self.bodies_with_uploads.append(written.article.pk)
        self.tallies["posts"][written.outcome] += 1
        self.captions += written.shortcodes.captions
        self.removed.update(written.shortcodes.removed)
        self.legacy += legacy_urls_set(article=written.article, item=item, origin=self.site)
        self.loader = CommentLoader(
            article=written.article,
            thread=article_thread(written.article),
            site_key=self.site_key,
            pingbacks=self.pingbacks,
            moderate=self.moderate,
        )

    def comment(self, element, line: int) -> None:
        """Feed one comment to the open post."""
        if self.failed or self.loader is None:
            # Comments of a page, a trashed post or a broken one go with it.
            self.skipped["comments"]["on an item not imported"] += 1
            return
        try:
            self.loader.add(comment_parse(element, line=line))
        except _ITEM_ERRORS as exc:
            self._fail(exc)

    def post_end(self) -> None:
        """Store the post's last comments and commit it (roll back on a dry run)."""
        if self.failed:
            self.loader = None
            return
        if self.loader is not None:
            try:
                counts = self.loader.finish()
            except _ITEM_ERRORS as exc:
                self._fail(exc)
                self.loader = None
                return
            self.comment_counts.add(counts)
        self._close(rollback=False)
        self.loader = None

    def summary(self) -> WxrImportSummary:
        """The run's figures."""
        counts = self.comment_counts
        comment_skipped = {
            k: v for k, v in counts.skipped.items() if "pingback" not in k and "trackback" not in k
        }
        linkback_skipped = {k: v for k, v in counts.skipped.items() if k not in comment_skipped}

        def tally(name: str) -> Tally:
            found = self.tallies[name]
            return Tally(
                created=found["created"],
                updated=found["updated"],
                unchanged=found["unchanged"],
                skipped=dict(self.skipped[name]),
            )

        return WxrImportSummary(
            path=self.path,
            site=self.site,
            dry_run=self.dry_run,
            posts=tally("posts"),
            attachments=tally("attachments"),
            comments=Tally(
                created=counts.created,
                unchanged=counts.unchanged,
                skipped={**comment_skipped, **self.skipped["comments"]},
            ),
            linkbacks=Tally(
                created=counts.linkbacks_created,
                unchanged=counts.linkbacks_unchanged,
                skipped=linkback_skipped,
            ),
            review_imported=counts.review,
            held_by_referee=counts.held_by_referee,
            legacy_urls=self.legacy,
            shortcodes_removed=dict(self.removed),
            captions=self.captions,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
        )


_START_TAG = re.compile(rb"<([A-Za-z_][\w:.-]*)")


def _root_tag(path: Path) -> str:
    """The document element's name, read from the file's start (once parsing has passed it)."""
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
    # Skip the prolog: the declaration, comments, a doctype.
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S)
    match = _START_TAG.search(head)
    return match.group(1).decode("ascii", "replace") if match else "?"


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


def wxr_import(
    *,
    path: Path,
    dry_run: bool = False,
    pingbacks: str = "keep",
    moderate: bool = False,
    media_dir: Path | None = None,
    progress: Progress | None = None,
) -> WxrImportSummary:
    """Import a WordPress export file; raise ImportFileError when the file itself is unusable."""
    if pingbacks not in PINGBACK_CHOICES:
        raise ValueError(f"pingbacks must be keep or skip, not {pingbacks!r}")
    if media_dir is not None and not media_dir.is_dir():
        raise ImportFileError(f"{media_dir}: the media folder does not exist.")
    stream = RecordStream(
        path,
        record_tags={ITEM, *AUTHOR_TAGS},
        child_tags=COMMENT_TAGS,
        header_parent="channel",
    )
    run = _Run(
        path=path, dry_run=dry_run, pingbacks=pingbacks, moderate=moderate, media_dir=media_dir
    )
    if progress is not None:
        progress.total = stream.size
    seen = 0
    try:
        for record in stream:
            run.record(stream, record.kind, record.element, record.line)
            if progress is not None and stream.bytes_read != seen:
                progress.advance(stream.bytes_read - seen)
                seen = stream.bytes_read
    except BaseException:
        # A file that breaks off mid-post (truncated, refused) leaves nothing of that post.
        run.failed = True
        run._close(rollback=True)
        raise
    if not run.version:
        run.channel_read(stream)
    run.bodies_media_point()
    if progress is not None:
        progress.finish()
    return run.summary()
