"""A post's comments streamed into its thread in batches, each judged by the referee.

Comments arrive one by one (a post may have 100,000). A reply whose parent has not been seen
yet (WordPress writes by id, and a parent may come after its child) waits for it; everything
else is stored in batches through discussion's comment_bulk_import, so memory holds one batch,
the replies still waiting, and a small (pk, path, depth) record per stored comment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from broadsheet.discussion import services as discussion
from broadsheet.discussion.models import Comment, Thread
from broadsheet.ingest.models import Linkback
from broadsheet.ingest.wordpress.content import html_to_markdown, html_to_text, wpautop
from broadsheet.ingest.wordpress.wxr import WxrComment
from broadsheet.newsroom.models import Article

BATCH = 500
# A Broadsheet export keeps the exact status (WordPress's one trash holds rejected and deleted).
STATUS_META = "_broadsheet_status"


def source_status(comment: WxrComment) -> str:
    """The comment's status on the site it came from, in Broadsheet's terms."""
    exact = comment.meta.get(STATUS_META, "")
    if exact in Comment.Status.values:
        return exact
    return SOURCE_STATUS.get(comment.approved, Comment.Status.PENDING)


SOURCE_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REJECTED,
    "post-trashed": Comment.Status.REJECTED,
}
LINKBACK_STATUS = {
    Comment.Status.APPROVED: Linkback.Status.APPROVED,
    Comment.Status.PENDING: Linkback.Status.PENDING,
    Comment.Status.SPAM: Linkback.Status.SPAM,
    Comment.Status.REJECTED: Linkback.Status.REJECTED,
}
_REFUSED = (Comment.Status.SPAM, Comment.Status.REJECTED)
_STRICTNESS: dict[str, int] = {
    Comment.Status.APPROVED: 0,
    Comment.Status.PENDING: 1,
    Comment.Status.REJECTED: 2,
    Comment.Status.SPAM: 3,
}


@dataclass
class CommentCounts:
    """What happened to a run's comments and linkbacks."""

    created: int = 0
    unchanged: int = 0
    review: int = 0  # kept their status although the referee would hold or reject them
    held_by_referee: int = 0  # --moderate: status changed by the referee
    linkbacks_created: int = 0
    linkbacks_unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def add(self, other: CommentCounts) -> None:
        """Add another post's counts to these."""
        self.created += other.created
        self.unchanged += other.unchanged
        self.review += other.review
        self.held_by_referee += other.held_by_referee
        self.linkbacks_created += other.linkbacks_created
        self.linkbacks_unchanged += other.linkbacks_unchanged
        self.skipped.update(other.skipped)


@dataclass
class _Stored:
    """The little the tree needs of a stored comment to place its replies."""

    comment: Comment


@dataclass
class _Waiting:
    comment: WxrComment
    body: str


class CommentLoader:
    """Store one post's comments (and linkbacks), inside the caller's transaction."""

    def __init__(
        self,
        *,
        article: Article,
        thread: Thread,
        site_key: str,
        pingbacks: str,
        moderate: bool,
    ) -> None:
        self.article = article
        self.thread = thread
        self.site_key = site_key
        self.pingbacks = pingbacks
        self.moderate = moderate
        self.counts = CommentCounts()
        self.known: dict[int, Comment] = {}  # WordPress id: stored comment
        self.light: dict[int, Comment] = {}  # row id: the light copy in `known`
        self.batch: list[_Waiting] = []
        self.batch_ids: dict[int, int] = {}  # WordPress id: index in the batch
        self.waiting: dict[int, list[_Waiting]] = {}  # parent's WordPress id: its replies
        self.seen: set[int] = set()
        self.linkbacks: list[Linkback] = []
        prefix = f"{site_key}:comment:"
        self.existing = {
            int(row.import_key[len(prefix) :]): row
            for row in Comment.objects.filter(thread=thread, import_key__startswith=prefix).only(
                "pk", "thread_id", "path", "depth", "root_id", "parent_id", "import_key"
            )
            if row.import_key[len(prefix) :].isdigit()
        }
        self.existing_linkbacks = set(
            Linkback.objects.filter(article=article).values_list("import_key", flat=True)
        )

    def key(self, wp_id: int) -> str:
        """A comment's import key: the source site and WordPress's comment id."""
        return f"{self.site_key}:comment:{wp_id}"

    def add(self, comment: WxrComment) -> None:
        """Take one comment from the stream."""
        if comment.wp_id in self.seen:
            self.counts.skipped["comment id repeated in the file"] += 1
            return
        self.seen.add(comment.wp_id)
        if comment.is_linkback:
            self._linkback(comment)
            return
        existing = self.existing.get(comment.wp_id)
        if existing is not None:
            self.counts.unchanged += 1
            self._placed(comment.wp_id, existing)
            return
        body = html_to_markdown(wpautop(comment.content)).strip()
        if not body:
            self.counts.skipped["comment with no text"] += 1
            self._release_orphans(comment.wp_id)
            return
        waiting = _Waiting(comment, body)
        parent = comment.parent_id
        if parent and parent not in self.known and parent not in self.batch_ids:
            self.waiting.setdefault(parent, []).append(waiting)
            return
        self._queue(waiting)

    def _queue(self, waiting: _Waiting) -> None:
        pending = [waiting]
        while pending:
            item = pending.pop(0)
            self.batch_ids[item.comment.wp_id] = len(self.batch)
            self.batch.append(item)
            pending.extend(self.waiting.pop(item.comment.wp_id, []))
        if len(self.batch) >= BATCH:
            self.flush()

    def _placed(self, wp_id: int, stored: Comment) -> None:
        self.known[wp_id] = stored
        for item in self.waiting.pop(wp_id, []):
            self._queue(item)

    def _release_orphans(self, wp_id: int) -> None:
        # Replies to a comment that is not stored (no text, a linkback) hang at the top level.
        for item in self.waiting.pop(wp_id, []):
            self._queue(_Waiting(_top_level(item.comment), item.body))

    def flush(self) -> None:
        """Judge and store the batch."""
        if not self.batch:
            return
        batch = _in_order(self.batch)
        ids = {w.comment.wp_id: index for index, w in enumerate(batch)}
        self.batch, self.batch_ids = [], {}
        judgements = discussion.imported_comments_judge(
            thread=self.thread,
            texts=[
                discussion.ImportedText(
                    body=w.body,
                    author_name=w.comment.author,
                    author_email=w.comment.author_email,
                    author_url=w.comment.author_url,
                )
                for w in batch
            ],
        )
        items = []
        for waiting, judgement in zip(batch, judgements, strict=True):
            comment = waiting.comment
            source: str = source_status(comment)
            status, review = source, False
            if judgement.review:
                if self.moderate:
                    if _STRICTNESS[judgement.status] > _STRICTNESS[source]:
                        status = judgement.status
                        self.counts.held_by_referee += 1
                elif source not in _REFUSED:
                    review = True
                    self.counts.review += 1
            parent_index = ids.get(comment.parent_id) if comment.parent_id else None
            items.append(
                discussion.BulkComment(
                    author_name=comment.author,
                    body=waiting.body,
                    parent=parent_index,
                    parent_comment=(
                        self.known.get(comment.parent_id)
                        if comment.parent_id and parent_index is None
                        else None
                    ),
                    created_at=comment.date or timezone.now(),
                    author_email=_email(comment.author_email),
                    author_url=comment.author_url,
                    import_key=self.key(comment.wp_id),
                    status=status,
                    verdict=judgement.verdict,
                    review_imported=review,
                )
            )
        stored = discussion.comment_bulk_import(thread=self.thread, items=items, recount=False)
        self.counts.created += len(stored)
        for waiting, row in zip(batch, stored, strict=True):
            # Keep only what placing a reply needs: the body of 100,000 comments would not fit.
            light = Comment(
                pk=row.pk,
                thread_id=row.thread_id,
                path=row.path,
                depth=row.depth,
                root_id=row.root_id,
                parent_id=row.parent_id,
            )
            if row.parent_id in self.light:
                light.parent = self.light[row.parent_id]
            self.light[row.pk] = light
            self.known[waiting.comment.wp_id] = light

    def _linkback(self, comment: WxrComment) -> None:
        self._release_orphans(comment.wp_id)
        if self.pingbacks == "skip":
            self.counts.skipped[f"{comment.kind} (--pingbacks skip)"] += 1
            return
        key = self.key(comment.wp_id)
        if key in self.existing_linkbacks:
            self.counts.linkbacks_unchanged += 1
            return
        if not comment.author_url.startswith(("http://", "https://")):
            self.counts.skipped[f"{comment.kind} without a source address"] += 1
            return
        source = SOURCE_STATUS.get(comment.approved, Comment.Status.PENDING)
        excerpt = html_to_text(comment.content)
        self.linkbacks.append(
            Linkback(
                article=self.article,
                kind=comment.kind,
                status=LINKBACK_STATUS[source],
                source_url=comment.author_url[:500],
                source_name=comment.author[:200],
                excerpt=excerpt,
                created_at=comment.date or timezone.now(),
                import_key=key,
            )
        )

    def finish(self) -> CommentCounts:
        """Store what is left; replies whose parent never came hang at the top level."""
        while self.waiting:
            parent_id, items = self.waiting.popitem()
            for item in items:
                self._queue(_Waiting(_top_level(item.comment), item.body))
                self.counts.skipped[
                    "reply whose parent is not in the file (kept at top level)"
                ] += 1
        self.flush()
        if self.counts.created:
            discussion.thread_recount(thread=self.thread)
        if self.linkbacks:
            for row in self.linkbacks:
                try:
                    row.full_clean(exclude=["article"], validate_unique=False)
                except ValidationError:
                    self.counts.skipped[f"{row.kind} with an unusable source address"] += 1
                    continue
                row.save()
                self.counts.linkbacks_created += 1
        self.counts.skipped = +self.counts.skipped  # drop zero entries
        return self.counts


def _in_order(batch: list[_Waiting]) -> list[_Waiting]:
    """Oldest first, as WordPress shows a thread, every reply still after its parent."""
    in_batch = {w.comment.wp_id for w in batch}
    ordered: list[_Waiting] = []
    placed: set[int] = set()
    children: dict[int, list[_Waiting]] = {}
    for waiting in sorted(
        batch, key=lambda w: (w.comment.date is None, w.comment.date, w.comment.wp_id)
    ):
        parent = waiting.comment.parent_id
        if parent in in_batch and parent not in placed:
            children.setdefault(parent, []).append(waiting)
            continue
        stack = [waiting]
        while stack:
            item = stack.pop(0)
            ordered.append(item)
            placed.add(item.comment.wp_id)
            stack[:0] = children.pop(item.comment.wp_id, [])
    return ordered


def _top_level(comment: WxrComment) -> WxrComment:
    return WxrComment(
        wp_id=comment.wp_id,
        parent_id=0,
        author=comment.author,
        author_email=comment.author_email,
        author_url=comment.author_url,
        date=comment.date,
        content=comment.content,
        approved=comment.approved,
        kind=comment.kind,
        line=comment.line,
    )


def _email(value: str) -> str:
    # An address the old site accepted but Django's field would not is dropped, not invented.
    value = value.strip()
    return value if "@" in value and " " not in value and len(value) <= 254 else ""
