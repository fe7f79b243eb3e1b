"""schema.org structured data (JSON-LD) for articles and list pages, after Google's guidelines.

Articles are NewsArticle with their crops, dates, authors, publisher, keywords and the newest
approved comments; list pages are CollectionPage (ProfilePage for authors) with the page's
articles as an ItemList. Everything is built as plain dicts and written by `dumps`, which keeps a
headline or a comment from ever closing the <script> it sits in.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from broadsheet.discussion.models import Comment
from broadsheet.discussion.selectors import comment_counts_for_keys
from broadsheet.newsroom.embed import article_thread_key
from broadsheet.newsroom.models import Article, Author, Image, Topic

# Enough for search engines to see the discussion, few enough to keep the page light.
COMMENTS_MAX = 50
# The publisher's logo, made once with Pillow and shipped (search engines prefer a raster logo).
LOGO = "feeds/logo.png"
LOGO_SIZE = (512, 512)
CROP_ORDER = ("16x9", "4x3", "1x1")
TOPIC_TYPES: dict[str, str] = {
    Topic.Kind.PERSON: "Person",
    Topic.Kind.ORGANISATION: "Organization",
    Topic.Kind.PLACE: "Place",
}
JsonObject = dict[str, Any]

# "</script>", "<!--" and "]]>" cannot be written with these escaped; JSON reads them the same.
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps(data: JsonObject) -> SafeString:
    """Return `data` as JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # The only characters that could end the script element or start a comment are escaped.
    return mark_safe(text.translate(_ESCAPES))  # noqa: S308


def absolute(url: str) -> str:
    """Return a site-relative URL as an absolute one on SITE_URL (absolute URLs pass through)."""
    if url.startswith(("https://", "http://")):
        return url
    return settings.SITE_URL + url


def iso(moment: dt.datetime) -> str:
    """Return a time in ISO 8601 with its offset, to the second, in the site's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def website() -> JsonObject:
    """The site itself, as search engines name it."""
    return {"@type": "WebSite", "name": settings.SITE_NAME, "url": settings.SITE_URL + "/"}


def publisher() -> JsonObject:
    """The site as the publisher of its articles, with its logo."""
    width, height = LOGO_SIZE
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(LOGO)),
            "width": width,
            "height": height,
        },
    }


def image_urls(image: Image | None) -> list[str]:
    """Return the 16:9, 4:3 and 1:1 crops of an image, or the original while it has none."""
    if image is None or not image.file:
        return []
    from broadsheet.newsroom.renditions import crop_urls

    crops = crop_urls(image)
    urls = [absolute(crops[name]) for name in CROP_ORDER if name in crops]
    return urls or [absolute(image.file.url)]


def authors(article: Article) -> list[JsonObject]:
    """Return the article's authors: bylines as Persons, else its wire sources as Organizations."""
    people: list[JsonObject] = []
    for byline in article.bylines.all():
        person: JsonObject = {"@type": "Person", "name": byline.display_name}
        page = byline.author_url
        if page:
            person["url"] = absolute(page)
        people.append(person)
    if people:
        return people
    sources: list[JsonObject] = []
    for credit in article.credits.all():
        source: JsonObject = {"@type": "Organization", "name": credit.source.credit_name}
        if credit.source.url:
            source["url"] = credit.source.url
        sources.append(source)
    # A story with neither a byline nor a credit is the paper's own.
    return sources or [
        {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL + "/"}
    ]


def keywords(article: Article, topics: Iterable[Topic]) -> list[str]:
    """Return the article's tags, then its confirmed topics, each name once."""
    seen: set[str] = set()
    words: list[str] = []
    for name in [tag.name for tag in article.tags.all()] + [topic.name for topic in topics]:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            words.append(name)
    return words


def newest_comments(article: Article, *, limit: int = COMMENTS_MAX) -> list[Comment]:
    """Return up to `limit` of the article's newest approved comments, oldest of them first."""
    rows = (
        Comment.objects.approved()
        .filter(thread__key=article_thread_key(article))
        .select_related("user")
        .order_by("-created_at", "-pk")[:limit]
    )
    return list(reversed(rows))


def comment_count(article: Article) -> int:
    """Return the stored count of the article's approved comments."""
    count = getattr(article, "comment_count", None)
    if count is None:
        key = article_thread_key(article)
        count = comment_counts_for_keys([key])[key]
    return int(count)


def comment_item(comment: Comment, *, article_url: str) -> JsonObject:
    """One comment: who wrote it (a name, never an address), when, and its text."""
    text = " ".join(html.unescape(strip_tags(comment.body_html)).split())
    return {
        "@type": "Comment",
        "url": f"{article_url}#{comment.anchor}",
        "author": {"@type": "Person", "name": comment.display_name},
        "dateCreated": iso(comment.created_at),
        "text": text,
    }


def news_article(
    article: Article,
    *,
    description: str,
    topics: Sequence[Topic],
    comments: Sequence[Comment],
) -> JsonObject:
    """Return the NewsArticle of an article page."""
    url = settings.SITE_URL + article.get_absolute_url()
    published = article.published_at or article.created_at
    # A story edited before it went live was still last changed when it went live.
    modified = max(published, article.updated_at)
    data: JsonObject = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": description,
    }
    images = image_urls(article.lead_image if article.lead_image_id else None)
    if images:
        data["image"] = images
    data.update(
        datePublished=iso(published),
        dateModified=iso(modified),
        author=authors(article),
        publisher=publisher(),
    )
    if article.section is not None:
        data["articleSection"] = article.section.name
    words = keywords(article, topics)
    if words:
        data["keywords"] = words
    data["isAccessibleForFree"] = True
    data["commentCount"] = comment_count(article)
    if comments:
        data["comment"] = [comment_item(c, article_url=url) for c in comments]
    return data


def breadcrumbs(trail: Sequence[tuple[str, str]]) -> JsonObject:
    """Return a BreadcrumbList of (name, site-relative or absolute URL) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(url)}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def item_list(articles: Iterable[Article], *, start: int = 1) -> JsonObject:
    """Return a page's articles as an ItemList, numbered from the page's first position."""
    return {
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "url": absolute(a.get_absolute_url())}
            for n, a in enumerate(articles, start=start)
        ],
    }


def collection_page(
    *,
    name: str,
    url: str,
    description: str,
    articles: Iterable[Article],
    start: int = 1,
    about: JsonObject | None = None,
) -> JsonObject:
    """Return the CollectionPage of a front, section, tag or topic page."""
    data: JsonObject = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "isPartOf": website(),
        "publisher": publisher(),
    }
    if about is not None:
        data["about"] = about
    data["mainEntity"] = item_list(articles, start=start)
    return data


def topic_thing(topic: Topic) -> JsonObject:
    """Return what a topic is about: a Person, an Organization, a Place or a Thing."""
    return {
        "@type": TOPIC_TYPES.get(str(topic.kind), "Thing"),
        "name": topic.name,
        "url": absolute(topic.get_absolute_url()),
    }


def author_person(author: Author) -> JsonObject:
    """Return a staff writer as a Person: name, page, role, biography and photo (never email)."""
    person: JsonObject = {
        "@type": "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url()),
    }
    if author.role:
        person["jobTitle"] = author.role
    if author.bio:
        person["description"] = author.bio
    if author.photo_id and author.photo and author.photo.file:
        person["image"] = absolute(author.photo.file.url)
    return person


def profile_page(author: Author, *, url: str, description: str) -> JsonObject:
    """Return the ProfilePage of an author's page, the writer as its main entity."""
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "name": author.name,
        "description": description,
        "dateCreated": iso(author.created_at),
        "dateModified": iso(author.updated_at),
        "isPartOf": website(),
        "mainEntity": author_person(author),
    }
