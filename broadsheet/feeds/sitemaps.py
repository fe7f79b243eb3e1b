"""Sitemaps for search engines: articles, sections, tags, authors and topics."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery

from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Article, Author, Byline, Section, Tag

# The protocol's ceiling per file; the index links as many files as it takes.
URLS_PER_FILE = 50_000


def _latest_published_change(field: str) -> Subquery:
    """The newest change among a section's or tag's published articles (drafts never count)."""
    newest = (
        Article.objects.published()
        .filter(**{field: OuterRef("pk")})
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return Subquery(newest)


class SiteSitemap(Sitemap):
    """A sitemap whose addresses use SITE_URL, whatever host the request came in on."""

    limit = URLS_PER_FILE

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    """Every published article, newest first, with its last change."""

    changefreq = "daily"

    def items(self):
        return Article.objects.published().latest_first().only("slug", "published_at", "updated_at")

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not Django's walk over every article.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class SectionSitemap(SiteSitemap):
    """Section pages, changed when their newest article was."""

    changefreq = "hourly"

    def items(self):
        latest = Article.objects.published().filter(section=OuterRef("pk"))
        return (
            Section.objects.annotate(lastmod=_latest_published_change("section"))
            .filter(Exists(latest))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        return max((item.lastmod for item in self.items()), default=None)


class TagSitemap(SectionSitemap):
    """Tag pages that list at least one published article."""

    def items(self):
        latest = Article.objects.published().filter(tags=OuterRef("pk"))
        return (
            Tag.objects.annotate(lastmod=_latest_published_change("tags"))
            .filter(Exists(latest))
            .order_by("slug")
        )


class AuthorSitemap(SiteSitemap):
    """Staff writers' pages with at least one published article."""

    def items(self):
        bylined = Byline.objects.filter(
            user_id=OuterRef("user_id"),
            name="",
            article__in=Article.objects.published(),
        )
        return Author.objects.filter(Exists(bylined)).order_by("slug")


class TopicSitemap(SiteSitemap):
    """Topic pages with at least one confirmed, published article."""

    def items(self):
        return selectors.public_topics().order_by("slug")


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}
