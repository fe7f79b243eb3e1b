"""The comment engine's data: threads keyed by any page, comment trees, subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from broadsheet.discussion.querysets import CommentQuerySet, ThreadQuerySet


class Thread(models.Model):
    """A discussion attached to one page: an article or any external URL, found by its key."""

    key = models.CharField(max_length=255, unique=True)
    url = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=300, blank=True)
    is_closed = models.BooleanField(default=False)
    # True when the page's owner closed it (comments turned off), so turning them on reopens it;
    # a moderator's closure leaves it False and survives the page being saved again.
    closed_by_page = models.BooleanField(default=False, editable=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    # Readers see the thread from this moment; empty means hidden (its article is not live).
    # A time, not a flag, so a scheduled article's discussion opens on time without a cron.
    visible_from = models.DateTimeField(null=True, blank=True, default=timezone.now)
    # Moderation policy keys, general to specific (e.g. "section:world", "article:7").
    context_keys = models.JSONField(default=list, blank=True)
    # Stored counters, kept exact in the same transaction as every change.
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Approved comments, replies included."
    )
    top_level_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Top-level comments listed: approved, or deleted but keeping replies.",
    )
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title or self.key

    def is_open_at(self, now=None) -> bool:
        """Whether new comments are accepted at the given time."""
        now = now or timezone.now()
        return not self.is_closed and (self.closes_at is None or now < self.closes_at)

    def is_visible_at(self, now=None) -> bool:
        """Whether readers may see the thread at the given time."""
        now = now or timezone.now()
        return self.visible_from is not None and self.visible_from <= now

    @property
    def is_visible(self) -> bool:
        """Whether readers may see the thread now."""
        return self.is_visible_at()

    @property
    def is_open(self) -> bool:
        """Whether new comments are accepted now."""
        return self.is_open_at()


class Comment(models.Model):
    """One reader's comment, placed in its thread's tree by a materialized path."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        DELETED = "deleted", "Deleted"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The top-level comment this reply hangs under; empty for top-level comments.",
    )
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    seq = models.PositiveIntegerField(default=0, editable=False)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField(max_length=100, blank=True)
    author_email = models.EmailField(max_length=254, blank=True)
    author_url = models.URLField(max_length=300, blank=True)

    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    verdict = models.JSONField(default=dict, blank=True, help_text="The referee's reasons.")
    import_key = models.CharField(max_length=200, blank=True)
    # An imported comment kept its source status although the referee would hold or reject it:
    # it waits in the queue's "Review imported" tab until a moderator decides.
    review_imported = models.BooleanField(default=False, db_index=True, editable=False)
    # Approved comments below this one: decides tombstones and the "most replies" order.
    descendant_count = models.PositiveIntegerField(default=0, editable=False)
    # Readers' reports not yet resolved by a moderator; kept equal to the open CommentFlag rows.
    report_count = models.PositiveIntegerField(default=0, editable=False)
    is_featured = models.BooleanField(
        default=False, help_text="Shown first, under “Featured”, above the thread."
    )
    featured_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when subscribers were first told about it, so a re-approval never emails them again.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A keyed hash of (thread, parent, author, text) for posted comments: a double submit is
    # found by one index lookup, however busy the thread (empty for imported comments).
    submit_fingerprint = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ("thread", "path")
        permissions = [("moderate_comments", "Can moderate reader comments")]
        constraints = [
            models.UniqueConstraint(fields=["thread", "path"], name="comment_path_unique"),
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~models.Q(import_key=""),
                name="comment_import_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "depth", "status", "path"], name="comment_roots"),
            models.Index(fields=["root", "path"], name="comment_by_root"),
            # A page of top-level comments in path order: read in order, stopping at the page's
            # end, without stepping over every reply (EXPLAIN on a 30,000-comment thread).
            models.Index(fields=["thread", "depth", "path"], name="comment_top_level"),
            # What posting reads on every comment, whatever the site's size: a double submit
            # (by its fingerprint) and a guest's history by email, case-blind; and a thread's
            # latest comments (its comment feed and structured data).
            models.Index(fields=["thread", "created_at"], name="comment_recent"),
            # Not partial: SQLite would not see that "= <hash>" implies "<> ''" and scanned.
            models.Index(fields=["submit_fingerprint"], name="comment_submit_fingerprint"),
            models.Index(
                Lower("author_email"),
                condition=models.Q(user__isnull=True),
                name="comment_guest_email",
            ),
            # The editors' picks over a thread: a handful of rows, so a small partial index.
            models.Index(
                fields=["thread", "featured_at"],
                condition=models.Q(is_featured=True),
                name="comment_featured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        """The permalink, which redirects to the right page of the thread."""
        return reverse("discussion:permalink", kwargs={"comment_id": self.pk})

    @property
    def display_name(self) -> str:
        """The name shown to readers (never the email address)."""
        if self.user is not None and not self.author_name:
            return self.user.public_name
        return self.author_name or "Anonymous"

    @property
    def is_tombstone(self) -> bool:
        """Whether this is a deleted comment shown only to keep its replies."""
        return self.status == self.Status.DELETED

    @property
    def is_pending(self) -> bool:
        """Whether the comment awaits moderation."""
        return self.status == self.Status.PENDING

    @property
    def is_reported(self) -> bool:
        """Whether readers' reports await a moderator's decision."""
        return self.report_count > 0

    @property
    def is_staff_comment(self) -> bool:
        """Whether a staff member wrote it (shown with a badge)."""
        return self.user_id is not None and bool(self.user and self.user.is_staff)

    @property
    def anchor(self) -> str:
        """The fragment that points at this comment on its page."""
        return f"comment-{self.pk}"

    @property
    def avatar_url(self) -> str:
        """The avatar image URL: a generated identicon, or Gravatar when enabled."""
        from broadsheet.discussion.avatars import avatar_url_for

        return avatar_url_for(email=self.author_email, name=self.display_name)


class Subscription(models.Model):
    """A reader who asked to be emailed when someone comments in a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    # A guest's subscription stays inactive until the emailed confirmation link is followed.
    is_active = models.BooleanField(default=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "email"], name="subscription_once")
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk} to {self.thread_id}"


class CommentFlag(models.Model):
    """One reader's report on one comment: a row per (reader, comment, kind), never two."""

    class Kind(models.TextChoices):
        REPORT = "report", "Reader report"

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive, hateful or threatening"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    # A keyed hash naming the reader (their account, else their browser session); never raw.
    reporter_key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a moderator decides on the comment; resolved reports no longer count.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("comment", "created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key", "kind"], name="comment_flag_once"
            )
        ]
        indexes = [models.Index(fields=["comment", "resolved_at"], name="comment_flag_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"
