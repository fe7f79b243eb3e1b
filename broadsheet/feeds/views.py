"""robots.txt, the Google News sitemap and the oEmbed endpoint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from broadsheet.feeds.addresses import article_at_url
from broadsheet.feeds.sitemaps import SITEMAPS
from broadsheet.newsroom.models import Article

NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_MAX = 1000
OEMBED_MAX_WIDTH = 600
# The card is text (section, headline, dek, byline and link): this height holds it at 600 px.
OEMBED_CARD_HEIGHT = 240

# Pages that are not for search engines: previews, the moderators' queue, accounts, the API,
# the admin and search results (endless near-duplicates).
ROBOTS_DISALLOW = ("/preview/", "/moderation/", "/accounts/", "/api/", "/admin/", "/search/")


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Name the sitemaps and keep crawlers out of private and endless pages."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines += [
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        f"Sitemap: {settings.SITE_URL}/news-sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@dataclass(frozen=True)
class IndexEntry:
    """One line of the sitemap index, as Django's sitemap_index.xml template reads it."""

    location: str
    last_mod: dt.datetime | None


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: every page of every sitemap, at SITE_URL whatever host was asked."""
    entries, latest = [], []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("feeds:sitemap-section", args=[section])
        lastmod = sitemap.get_latest_lastmod()
        latest.append(lastmod)
        entries.append(IndexEntry(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(IndexEntry(f"{location}?p={page}", lastmod))
    response = render(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    known = [stamp for stamp in latest if stamp is not None]
    if known:
        response["Last-Modified"] = http_date(max(known).timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: articles of the last two days, at most 1,000."""
    since = timezone.now() - dt.timedelta(days=NEWS_SITEMAP_DAYS)
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .latest_first()
        .only("slug", "headline", "published_at")[:NEWS_SITEMAP_MAX]
    )
    context = {
        # W3C date-time to the second, with the zone: what Google News documents.
        "entries": [(a, a.published_at.replace(microsecond=0).isoformat()) for a in articles],
        "site_url": settings.SITE_URL,
        "name": settings.SITE_NAME,
        "language": settings.LANGUAGE_CODE.split("-")[0],
    }
    return render(request, "feeds/news_sitemap.xml", context, content_type="application/xml")


def _positive(value: str | None) -> int | None:
    """A positive whole number from a query parameter, or None."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (https://oembed.com) for articles: a "rich" card with a link back."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    article = article_at_url(request.GET.get("url", ""))
    # The consumer's maxwidth/maxheight are limits the answer must keep (oEmbed 2.2).
    width = min(_positive(request.GET.get("maxwidth")) or OEMBED_MAX_WIDTH, OEMBED_MAX_WIDTH)
    height = OEMBED_CARD_HEIGHT
    max_height = _positive(request.GET.get("maxheight"))
    if max_height is not None:
        height = min(height, max_height)
    url = settings.SITE_URL + article.get_absolute_url()
    answer: dict = {
        "version": "1.0",
        "type": "rich",
        "title": article.headline,
        "provider_name": settings.SITE_NAME,
        "provider_url": settings.SITE_URL + "/",
        "width": width,
        "height": height,
        "html": render_to_string(
            "feeds/oembed_card.html", {"article": article, "url": url, "width": width}
        ).strip(),
    }
    names = [b.display_name for b in article.bylines.all()]
    if names:
        answer["author_name"] = ", ".join(names)
        first = article.bylines.all()[0].author_url
        if first:
            answer["author_url"] = settings.SITE_URL + first
    image = article.lead_image
    if image is not None and image.file and image.width:
        answer.update(
            thumbnail_url=settings.SITE_URL + image.file.url,
            thumbnail_width=image.width,
            thumbnail_height=image.height,
        )
    return JsonResponse(answer)
