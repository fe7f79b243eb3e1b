"""JSON Feed 1.1 of the site's latest articles (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from broadsheet.feeds.syndication import ARTICLES_IN_FEED, feed_articles


def json_feed_document() -> dict:
    """Return the JSON Feed document for the latest articles."""
    site = settings.SITE_URL
    items = []
    for article in feed_articles()[:ARTICLES_IN_FEED]:
        url = site + article.get_absolute_url()
        item: dict = {
            "id": url,
            "url": url,
            "title": article.headline,
            "date_published": article.published_at.isoformat(),
            "date_modified": article.updated_at.isoformat(),
        }
        if settings.FEED_FULL_CONTENT:
            item["content_html"] = article.body_html
        else:
            item["content_text"] = article.dek or article.headline
        if article.dek:
            item["summary"] = article.dek
        authors = [
            {"name": b.display_name, **({"url": site + b.author_url} if b.author_url else {})}
            for b in article.bylines.all()
        ]
        if authors:
            item["authors"] = authors
        if article.lead_image is not None and article.lead_image.file:
            item["image"] = site + article.lead_image.file.url
        if article.section is not None:
            item["tags"] = [article.section.name]
        items.append(item)
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": settings.SITE_NAME,
        "home_page_url": site + "/",
        "feed_url": site + "/feed/json/",
        "description": f"The latest news from {settings.SITE_NAME}.",
        "language": settings.LANGUAGE_CODE,
        "items": items,
    }


def json_feed(request: HttpRequest) -> JsonResponse:
    """Serve the JSON Feed."""
    return JsonResponse(
        json_feed_document(),
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
