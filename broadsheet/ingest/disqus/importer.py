"""A Disqus export into Broadsheet's threads and comments, through discussion's services.

Threads come first in the file: each is matched to an article (its link's path against the
articles' addresses and the old addresses LegacyURL keeps, else its identifier against an
article's import key or id), or kept as an external thread keyed by its URL, for the widget.
Only a small map dsq:id -> thread is kept (and dsq:id -> comment id, for replies). Posts are
streamed in batches of BATCH: each batch is judged by the referee in one call and stored per
thread in one transaction (comment_bulk_import's), with exact tree paths; a file that breaks off
loses only the batch it broke off in. Keys are "disqus:<dsq:id>", so a re-import adds nothing.
A post whose parent comes later in the file waits in memory until its parent is stored (Disqus
writes posts oldest first, so few ever wait); one whose parent never comes is stored at the top
level, and counted.

Disqus messages are HTML. Broadsheet stores a comment's Markdown source and renders it through
core.text (the one sanitizer) at write time, so the HTML is turned into Markdown first: what the
comment dialect can say (paragraphs, links, emphasis, quotes, code, lists) survives, the rest is
dropped by the sanitizer as for any reader's comment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve

from broadsheet.discussion import services as discussion
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.pages import (
    origin_normalize,
    own_origins,
    page_url_normalize,
    url_thread_key,
)
from broadsheet.ingest.disqus.reader import DisqusPost, DisqusThread, read_export
from broadsheet.ingest.models import LegacyURL
from broadsheet.ingest.wordpress.content import html_to_markdown
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article

KEY_PREFIX = "disqus:"
GUEST = "Guest"
# A deleted post keeps its place (and its replies) as a tombstone; Disqus often empties its text.
DELETED_BODY = "[deleted]"
# Posts judged and stored together: one referee call and one insert per thread in a batch.
BATCH = 500


@dataclass
class DisqusImported:
    """What an import did (on a dry run: would do)."""

    dry_run: bool = False
    threads: int = 0
    threads_matched: int = 0  # to articles
    threads_external: int = 0
    posts: int = 0
    created: int = 0
    unchanged: int = 0  # imported before
    statuses: Counter = field(default_factory=Counter)
    for_review: int = 0
    orphans: int = 0  # parent not in the file: stored at the top level
    skipped: Counter = field(default_factory=Counter)  # reason -> count


@dataclass(frozen=True)
class _Target:
    thread: Thread
    article: Article | None


def _article_by_path(path: str) -> Article | None:
    if not path:
        return None
    legacy = LegacyURL.objects.filter(path=path).select_related("article").first()
    if legacy is not None:
        return legacy.article
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.view_name != "newsroom:article":
        return None
    article = Article.objects.filter(slug=match.kwargs["slug"]).first()
    # The date in the path must be the article's too: another site's /2019/05/02/kites/ is not ours.
    if article is None or article.get_absolute_url() != urlsplit(path).path:
        return None
    return article


def _article_by_identifier(identifier: str) -> Article | None:
    if not identifier:
        return None
    article = Article.objects.filter(import_key=identifier).first()
    if article is not None:
        return article
    # WordPress's Disqus plugin writes "<post id> <permalink>"; Broadsheet's own "article:<id>".
    first = identifier.split()[0]
    if first.startswith("article:"):
        first = first.removeprefix("article:")
        return Article.objects.filter(pk=int(first)).first() if first.isdigit() else None
    if first.isdigit():
        legacy = LegacyURL.objects.filter(path=f"/?p={first}").select_related("article").first()
        return legacy.article if legacy is not None else None
    return None


def _own_path(link: str) -> str:
    """The link's path (with its query) when the link is on this site, or a bare path; else ""."""
    if link.startswith("/") and not link.startswith("//"):
        return link
    if origin_normalize(link) in own_origins():
        parts = urlsplit(link)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def _link_path(link: str) -> str:
    parts = urlsplit(link)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def thread_target(item: DisqusThread) -> _Target | None:
    """Find or make the Broadsheet thread for a Disqus thread; None when it names no page."""
    article = None
    if item.link:
        # Old sites' paths are matched wherever they were served: a move keeps its paths.
        article = _article_by_path(_own_path(item.link) or _link_path(item.link))
    article = article or _article_by_identifier(item.identifier)
    if article is not None:
        return _Target(thread=article_thread(article), article=article)
    try:
        url = page_url_normalize(item.link)
    except ValueError:
        return None
    thread = discussion.thread_get_or_create(
        key=url_thread_key(url),
        url=url,
        title=item.title,
        closed=item.is_closed or None,
    )
    return _Target(thread=thread, article=None)


def _status(post: DisqusPost) -> str:
    if post.is_deleted:
        return Comment.Status.DELETED
    if post.is_spam:
        return Comment.Status.SPAM
    return Comment.Status.APPROVED


class _Importer:
    def __init__(self, result: DisqusImported) -> None:
        self.result = result
        self.threads: dict[str, _Target | None] = {}
        self.stored: dict[str, int] = {}  # dsq:id -> comment id, for replies to find
        self.waiting: dict[str, list[DisqusPost]] = defaultdict(list)  # parent dsq:id -> posts
        self.batch: list[DisqusPost] = []
        self.in_batch: set[str] = set()
        self.touched: dict[int, Thread] = {}

    def thread(self, item: DisqusThread) -> None:
        self.flush()  # a thread after posts (unusual): its posts' batch goes first
        self.result.threads += 1
        target = thread_target(item)
        self.threads[item.dsq_id] = target
        if target is None:
            self.result.skipped["thread without a usable link"] += 1
        elif target.article is not None:
            self.result.threads_matched += 1
        else:
            self.result.threads_external += 1

    def post(self, post: DisqusPost) -> None:
        self.result.posts += 1
        parent = post.parent_id
        if parent and parent not in self.stored and parent not in self.in_batch:
            pk = (
                Comment.objects.filter(import_key=KEY_PREFIX + parent)
                .values_list("pk", flat=True)
                .first()
            )
            if pk is None:
                self.waiting[parent].append(post)
                return
            self.stored[parent] = pk
        self._enqueue(post)

    def _enqueue(self, post: DisqusPost) -> None:
        """Queue the post, then the replies that waited for it (a work list: chains are long)."""
        work = [post]
        while work:
            item = work.pop(0)
            self.batch.append(item)
            self.in_batch.add(item.dsq_id)
            work.extend(self.waiting.pop(item.dsq_id, []))
            if len(self.batch) >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Judge and store the queued posts, thread by thread, in file order."""
        if not self.batch:
            return
        batch, self.batch, self.in_batch = self.batch, [], set()
        keys = [KEY_PREFIX + post.dsq_id for post in batch]
        existing = dict(Comment.objects.filter(import_key__in=keys).values_list("import_key", "pk"))
        groups: dict[int, tuple[Thread, list[DisqusPost]]] = {}
        for post in batch:
            known = existing.get(KEY_PREFIX + post.dsq_id)
            if known is not None:
                self.result.unchanged += 1
                self.stored[post.dsq_id] = known
                continue
            target = self.threads.get(post.thread_id)
            if target is None:
                reason = (
                    "post in a thread without a usable link"
                    if post.thread_id in self.threads
                    else "post naming a thread not in the file"
                )
                self.result.skipped[reason] += 1
                continue
            groups.setdefault(target.thread.pk, (target.thread, []))[1].append(post)
        for thread, posts in groups.values():
            self._store_group(thread, posts)

    def _store_group(self, thread: Thread, posts: list[DisqusPost]) -> None:
        ready: list[tuple[DisqusPost, str, str]] = []
        for post in posts:
            status = _status(post)
            body = html_to_markdown(post.message).replace("\r\n", "\n").strip()
            if not body and status != Comment.Status.DELETED:
                self.result.skipped["post without text"] += 1
                continue
            ready.append((post, status, body or DELETED_BODY))
        judgements = discussion.imported_comments_judge(
            thread=thread,
            texts=[
                discussion.ImportedText(
                    body=body, author_name=_name(post), author_email=post.author_email
                )
                for post, _status_, body in ready
            ],
        )
        items: list[discussion.BulkComment] = []
        index: dict[str, int] = {}
        for (post, status, body), judgement in zip(ready, judgements, strict=True):
            parent, parent_comment = self._parent(post, thread=thread, index=index)
            # The source's status is kept; comments it shows but the referee would not go to
            # the moderators' "Review imported" tab with the verdict's reasons and scores.
            review = judgement.review and status == Comment.Status.APPROVED
            items.append(
                discussion.BulkComment(
                    author_name=_name(post),
                    body=body,
                    parent=parent,
                    parent_comment=parent_comment,
                    created_at=post.created_at,
                    author_email=post.author_email,
                    import_key=KEY_PREFIX + post.dsq_id,
                    status=status,
                    verdict=judgement.verdict,
                    review_imported=review,
                )
            )
            index[post.dsq_id] = len(items) - 1
            self.result.statuses[status] += 1
            self.result.for_review += review
        if not items:
            return
        built = discussion.comment_bulk_import(thread=thread, items=items, recount=False)
        for dsq_id, at in index.items():
            self.stored[dsq_id] = built[at].pk
        self.result.created += len(built)
        self.touched[thread.pk] = thread

    def _parent(
        self, post: DisqusPost, *, thread: Thread, index: dict[str, int]
    ) -> tuple[int | None, Comment | None]:
        """The reply's parent: an index into this group, or a comment stored before."""
        if not post.parent_id:
            return None, None
        if post.parent_id in index:
            return index[post.parent_id], None
        pk = self.stored.get(post.parent_id)
        parent = Comment.objects.filter(pk=pk, thread=thread).first() if pk else None
        return None, parent  # None: the parent was skipped or is in another thread: top level

    def finish(self) -> None:
        """Store the last batch; posts whose parent never came go to the top of their thread."""
        self.flush()
        while self.waiting:
            # A waiting post's parent may itself be waiting: start from parents truly missing
            # (any one, if the file's parents form a loop), so their replies follow them.
            queued = {post.dsq_id for posts in self.waiting.values() for post in posts}
            missing = [key for key in self.waiting if key not in queued]
            for parent_id in missing or [next(iter(self.waiting))]:
                for post in self.waiting.pop(parent_id, []):
                    self.result.orphans += 1
                    self._enqueue(replace(post, parent_id=""))
            self.flush()
        # Counters once per thread, after its last batch: exact, and cheap.
        for thread in self.touched.values():
            discussion.thread_recount(thread=thread)


def _name(post: DisqusPost) -> str:
    name = " ".join((post.author_name or post.author_username).split())
    return name or GUEST


def disqus_import(
    *,
    path: Path,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DisqusImported:
    """Import a Disqus export's threads and posts; a re-import adds nothing already there."""
    result = DisqusImported(dry_run=dry_run)
    importer = _Importer(result)
    # Each post is stored in its own transaction (comment_import's). A dry run does it all
    # inside one outer transaction, rolled back at the end: its counts are the real ones.
    with transaction.atomic() if dry_run else nullcontext():
        for item in read_export(path):
            if isinstance(item, DisqusThread):
                importer.thread(item)
            else:
                importer.post(item)
            if progress is not None:
                progress(result.threads + result.posts, 0)
        importer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return result
