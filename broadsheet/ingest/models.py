"""What imports leave behind (old addresses, linkbacks) and the wire desk's feeds and items."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LegacyURL(models.Model):
    """An address an article had on the site it came from: it answers with a 301 to the article."""

    # The path as the old site served it, with its query for ?p=<id> ("/?p=123"), unquoted.
    path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="legacy_urls"
    )
    origin = models.CharField(max_length=200, blank=True, help_text="The site it came from.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "legacy URL"
        ordering = ("path",)

    def __str__(self) -> str:
        return self.path


class Linkback(models.Model):
    """A pingback or trackback imported with an article: shown apart from reader comments."""

    class Kind(models.TextChoices):
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending"
        SPAM = "spam", "Spam"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="linkbacks"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    source_url = models.URLField(max_length=500)
    source_name = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    import_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.source_name or self.source_url}"


class WireFeed(models.Model):
    """A wire service's feed the desk polls: where, how often, and how the last fetch went."""

    class Format(models.TextChoices):
        AUTO = "auto", "Detect (RSS, Atom, JSON Feed or ninjs)"
        RSS = "rss", "RSS 2.0"
        ATOM = "atom", "Atom 1.0"
        JSONFEED = "jsonfeed", "JSON Feed 1.1"
        NINJS = "ninjs", "IPTC ninjs 1.x/2.x"

    source = models.ForeignKey(
        "newsroom.Source", on_delete=models.CASCADE, related_name="wire_feeds"
    )
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.AUTO)
    poll_minutes = models.PositiveIntegerField(default=10, help_text="Minutes between fetches.")
    active = models.BooleanField(default=True)
    # Polite fetching: the validators of the last answer, and the back-off after failures.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_ok_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(default=0, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    data = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ("source__name", "url")
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="wire_feed_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.url}"


class WireGroup(models.Model):
    """Items from several agencies about the same story, to be merged into one article."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    merged_into = models.ForeignKey(
        "newsroom.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Wire group {self.pk}"


class WireItem(models.Model):
    """One story as an agency sent it, newest version kept, with the draft it became."""

    feed = models.ForeignKey(WireFeed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500, help_text="The agency's id (guid, id or uri).")
    version = models.PositiveIntegerField(default=1)
    headline = models.CharField(max_length=300)
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown paragraphs.")
    captions = models.JSONField(default=list, blank=True)
    link = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    embargo_until = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    article = models.ForeignKey(
        "newsroom.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        WireGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    data = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ("-fetched_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="wire_item_once_per_feed")
        ]

    def __str__(self) -> str:
        return self.headline
