"""The publishing model: articles, sections, tags, bylines, wire credits, images, corrections."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from broadsheet.core.models import TimestampedModel
from broadsheet.core.text import render_article_markdown
from broadsheet.newsroom.querysets import ArticleQuerySet


class Section(models.Model):
    """A part of the paper: World, Politics, Science."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    """A topic label shared across sections."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:tag", kwargs={"slug": self.slug})


class Source(models.Model):
    """A wire service or outlet credited for a story, e.g. AP or REUTERS."""

    name = models.CharField(max_length=120, unique=True)
    credit_name = models.CharField(
        max_length=60, help_text="How the credit line prints it, e.g. AP, REUTERS, FOX NEWS."
    )
    url = models.URLField(blank=True)
    feed_url = models.URLField(blank=True, help_text="Wire feed to ingest (RSS, Atom or ninjs).")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.credit_name


class Image(TimestampedModel):
    """A photo with its caption and photo credit, stored once and reusable."""

    file = models.ImageField(
        upload_to="images/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    alt_text = models.CharField(max_length=300, blank=True)
    caption = models.TextField(blank=True)
    second_caption = models.TextField(
        blank=True, help_text="A second wording of the caption, e.g. from another wire."
    )
    captions_near_duplicate = models.BooleanField(
        default=False, help_text="The two captions say nearly the same thing."
    )
    credit = models.CharField(max_length=200, blank=True, help_text="Photo credit.")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    original_url = models.URLField(
        max_length=500, blank=True, help_text="Where the photo lived on the site it came from."
    )
    import_key = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="Identity in the system it came from."
    )

    def __str__(self) -> str:
        return self.alt_text or self.caption[:60] or f"Image {self.pk}"


class Article(TimestampedModel):
    """A news story: headline, body, section, tags, bylines, credits and lead image."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.TextField(blank=True, help_text="The standfirst under the headline.")
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comments_enabled = models.BooleanField(default=True)
    import_key = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="Identity in the system it came from."
    )
    original_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="The story's address where it came from (wire, old site).",
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Not to be published before this time (wire embargo)."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            # Two imports of the same page racing each other must not make two articles.
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~models.Q(import_key=""),
                name="article_import_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.headline

    def clean(self) -> None:
        """Refuse a scheduled article without its publication time."""
        if self.status == self.Status.SCHEDULED and self.published_at is None:
            raise ValidationError(
                {"published_at": "A scheduled article needs the date and time it goes live."}
            )

    def save(self, *args, **kwargs) -> None:
        # Body HTML is rendered and sanitized once, at write time.
        self.body_html = render_article_markdown(self.body)
        extra = {"body_html"}
        # Publishing without a time means "now", so the permalink date is fixed from here on.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            extra.add("published_at")
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        """Whether readers can see the article now."""
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def get_absolute_url(self) -> str:
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "newsroom:article",
            kwargs={
                "year": f"{when.year:04d}",
                "month": f"{when.month:02d}",
                "day": f"{when.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def confirmed_topics(self) -> list[Topic]:
        """The topics editors confirmed, most mentioned first (prefetched by `for_page`)."""
        links = getattr(self, "confirmed_topic_links", None)
        if links is None:
            links = self.article_topics.filter(status=ArticleTopic.Status.CONFIRMED).select_related(
                "topic"
            )
        return [link.topic for link in links]

    @property
    def credit_line(self) -> str:
        """The wire credit line, sources joined by '/': 'FOX NEWS/AP/REUTERS'."""
        return "/".join(c.source.credit_name for c in self.credits.all())


class Byline(models.Model):
    """One author of an article: a staff user or a free-text name (a stringer, a wire writer)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=80, blank=True, help_text="e.g. Staff writer")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        """Require a staff user or a written name."""
        if not self.user_id and not self.name.strip():
            raise ValidationError("A byline needs a staff user or a name.")

    @property
    def author_url(self) -> str:
        """The byline's author page, or "" for a free-text byline or a user without a profile."""
        if self.user is None or self.name:
            return ""
        profile = getattr(self.user, "author_profile", None)
        return profile.get_absolute_url() if profile is not None else ""

    @property
    def display_name(self) -> str:
        """The name printed in the byline."""
        if not self.name and self.user is not None:
            return self.user.public_name
        return self.name


class Credit(models.Model):
    """A wire source credited for an article, in credit-line order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="credits")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=["article", "source"], name="credit_once_per_source")
        ]

    def __str__(self) -> str:
        return self.source.credit_name


class Correction(models.Model):
    """A correction or update note shown on the article with its time."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    noted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("noted_at", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Author(TimestampedModel):
    """A staff writer's public profile: the page their bylines link to.

    Free-text bylines (wire reporters, stringers) have no profile and so no page.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_profile"
    )
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True, help_text="e.g. World editor")
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name readers see: the user's public name, never the email address."""
        return self.user.public_name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:author", kwargs={"slug": self.slug})


class Topic(models.Model):
    """A person, organisation or place stories are about, with a page and a feed.

    Topics on the editors' list (`listed`) take precedence over the language model's guesses:
    their kind and spelling win, and their aliases are matched in the text too.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        PLACE = "place", "Place"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.OTHER)
    listed = models.BooleanField(
        default=False, help_text="On the editors' list of names: always suggested when named."
    )
    aliases = models.TextField(
        blank=True, help_text="Other spellings, one per line (e.g. Qods Force)."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:topic", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        """The topic's other spellings, without blanks."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class ArticleTopic(models.Model):
    """A topic suggested for an article, and what the editors decided about it."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        DROPPED = "dropped", "Dropped"

    class Origin(models.TextChoices):
        LIST = "list", "Editors' list"
        MODEL = "model", "Language model"
        EDITOR = "editor", "Added by an editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_topics")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MODEL)
    mentions = models.PositiveIntegerField(default=0, help_text="Times the text names it.")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-mentions", "topic__name")
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="article_topic_once")
        ]
        indexes = [models.Index(fields=["topic", "status"])]

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_status_display()})"


class Rendition(models.Model):
    """One resized, cropped and re-encoded copy of an image, made once after the image is saved."""

    class Crop(models.TextChoices):
        ORIGINAL = "original", "Original shape"
        WIDE = "16x9", "16:9"
        STANDARD = "4x3", "4:3"
        SQUARE = "1x1", "1:1"

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"
        AVIF = "avif", "AVIF"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    crop = models.CharField(max_length=10, choices=Crop.choices, default=Crop.ORIGINAL)
    format = models.CharField(max_length=5, choices=Format.choices, default=Format.JPEG)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.ImageField(upload_to="renditions/%Y/%m/")

    class Meta:
        ordering = ("crop", "format", "width")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "crop", "format", "width"], name="rendition_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.image_id} {self.crop} {self.width}w {self.format}"
