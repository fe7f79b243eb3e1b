"""RSS 2.0 and Atom feeds at WordPress's addresses, over the same querysets the site's pages use."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure

from broadsheet.discussion.models import Comment, Thread
from broadsheet.newsroom import selectors
from broadsheet.newsroom.embed import article_thread_key
from broadsheet.newsroom.models import Article, ArticleTopic, Author, Section, Tag, Topic

ARTICLES_IN_FEED = 20
COMMENTS_IN_FEED = 50


def feed_articles():
    """Published articles, newest first, with what a feed item needs prefetched."""
    return Article.objects.published().latest_first().for_listing()


class ArticleFeed(Feed):
    """The site's latest articles as RSS 2.0; subclasses narrow the list or change the format."""

    description_template = None

    def title(self, obj=None) -> str:
        return settings.SITE_NAME

    def link(self, obj=None) -> str:
        return settings.SITE_URL + "/"

    def description(self, obj=None) -> str:
        return f"The latest news from {settings.SITE_NAME}."

    def author_name(self, obj=None) -> str:
        # Atom needs an author on every entry; the site stands in where an article has no byline.
        return settings.SITE_NAME

    def feed_url(self, obj=None) -> str:
        return settings.SITE_URL + self._request_path

    def __call__(self, request, *args, **kwargs):
        self._request_path = request.path
        return super().__call__(request, *args, **kwargs)

    def articles(self, obj):
        """The articles this feed lists, newest first."""
        return feed_articles()

    def items(self, obj=None):
        return list(self.articles(obj)[:ARTICLES_IN_FEED])

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        # Full stored (sanitized) HTML, or the dek as a summary, by setting.
        if settings.FEED_FULL_CONTENT:
            return item.body_html
        return item.dek or item.headline

    def item_link(self, item: Article) -> str:
        # Absolute from SITE_URL: a feed read through a proxy or another host still points home.
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    item_guid_is_permalink = True

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        names = [b.display_name for b in item.bylines.all()]
        return ", ".join(names) or item.credit_line or None

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name] if item.section is not None else []

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        image = item.lead_image
        if image is None or not image.file:
            return []
        try:
            length = image.file.size
        except OSError:
            return []  # the file is gone from storage: no enclosure rather than a broken one
        mime = mimetypes.guess_type(image.file.name or "")[0] or "image/jpeg"
        return [Enclosure(settings.SITE_URL + image.file.url, str(length), mime)]


class AtomArticleFeed(ArticleFeed):
    """The site's latest articles as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj=None) -> str:
        return self.description(obj)


class CollectionFeed(ArticleFeed):
    """The latest articles of one section, tag, author or topic, found by its slug."""

    def collection(self, slug: str) -> Any:
        """The object the feed is about, or 404."""
        raise NotImplementedError

    def get_object(self, request, slug: str) -> Any:
        return self.collection(slug)

    def title(self, obj=None) -> str:
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


class SectionFeed(CollectionFeed):
    """One section's latest articles."""

    def collection(self, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def description(self, obj=None) -> str:
        return obj.description or f"{obj.name} news from {settings.SITE_NAME}."

    def articles(self, obj):
        return feed_articles().filter(section=obj)


class TagFeed(CollectionFeed):
    """One tag's latest articles."""

    def collection(self, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def description(self, obj=None) -> str:
        return f"Articles tagged {obj.name} on {settings.SITE_NAME}."

    def articles(self, obj):
        return feed_articles().filter(tags=obj)


class AuthorFeed(CollectionFeed):
    """One staff writer's latest articles."""

    def collection(self, slug: str) -> Author:
        return get_object_or_404(Author.objects.select_related("user"), slug=slug)

    def description(self, obj=None) -> str:
        return f"Articles by {obj.name} on {settings.SITE_NAME}."

    def articles(self, obj):
        return feed_articles().filter(bylines__user_id=obj.user_id, bylines__name="").distinct()


class TopicFeed(CollectionFeed):
    """The articles editors confirmed a topic for."""

    def collection(self, slug: str) -> Topic:
        return get_object_or_404(selectors.public_topics(), slug=slug)

    def description(self, obj=None) -> str:
        return f"News about {obj.name} from {settings.SITE_NAME}."

    def articles(self, obj):
        return feed_articles().filter(
            article_topics__topic=obj, article_topics__status=ArticleTopic.Status.CONFIRMED
        )


class CommentFeed(Feed):
    """The site's latest approved comments, on live articles' threads only."""

    def __call__(self, request, *args, **kwargs):
        self._request_path = request.path
        return super().__call__(request, *args, **kwargs)

    def feed_url(self, obj=None) -> str:
        return settings.SITE_URL + self._request_path

    def title(self, obj=None) -> str:
        return f"Comments on {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return settings.SITE_URL + "/"

    def description(self, obj=None) -> str:
        return f"The latest reader comments on {settings.SITE_NAME}."

    def comments(self, obj):
        """Approved comments on visible threads, newest first."""
        return Comment.objects.approved().filter(
            thread__in=Thread.objects.visible(), thread__key__startswith="article:"
        )

    def items(self, obj=None):
        rows = self.comments(obj).select_related("user", "thread").order_by("-created_at", "-id")
        return list(rows[:COMMENTS_IN_FEED])

    def item_title(self, item: Comment) -> str:
        return f"{item.display_name} on “{item.thread.title}”"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return f"{settings.SITE_URL}{item.thread.url}#comment-{item.pk}"

    def item_guid(self, item: Comment) -> str:
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_updateddate(self, item: Comment):
        # The author's last edit, not the row's: moderation and counters also touch updated_at.
        return item.edited_at or item.created_at

    def item_author_name(self, item: Comment) -> str:
        # The reader's public name only: never their email address.
        return item.display_name


class AtomCommentFeed(CommentFeed):
    """The site's latest approved comments as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj=None) -> str:
        return self.description(obj)


class ArticleCommentFeed(CommentFeed):
    """One article's approved comments, at WordPress's <article URL>feed/."""

    def get_object(self, request, year: str, month: str, day: str, slug: str) -> Article:
        return selectors.article_for_permalink(year=year, month=month, day=day, slug=slug)

    def title(self, obj=None) -> str:
        return f"Comments on: {obj.headline}"

    def link(self, obj=None) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    def description(self, obj=None) -> str:
        return f"Reader comments on “{obj.headline}”."

    def comments(self, obj):
        thread = Thread.objects.visible().filter(key=article_thread_key(obj)).first()
        if thread is None:
            return Comment.objects.none()
        return Comment.objects.approved().filter(thread=thread)

    def item_title(self, item: Comment) -> str:
        return f"By: {item.display_name}"
