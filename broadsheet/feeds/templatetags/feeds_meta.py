"""Template tags for the newsroom's pages: share rows, link-preview tags and structured data.

The newsroom's templates load these; the newsroom's code never imports the feeds app.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from broadsheet.feeds import jsonld, opengraph
from broadsheet.feeds.share import share_links
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import Listing

register = template.Library()

# Reading a story should not tell the share networks about it: no DNS look-ups for the links.
_NO_PREFETCH = '<meta http-equiv="x-dns-prefetch-control" content="off">'


def _scripts(*blocks: jsonld.JsonObject) -> SafeString:
    return format_html_join(
        "\n", '<script type="application/ld+json">{}</script>', ((jsonld.dumps(b),) for b in blocks)
    )


@register.inclusion_tag("newsroom/_share.html")
def share_row(article: Article, where: str = "top") -> dict:
    """Show the article's share links: `where` is "top" or "bottom"."""
    url = settings.SITE_URL + article.get_absolute_url()
    return {
        "where": where,
        "url": url,
        "title": article.headline,
        "links": share_links(url=url, title=article.headline),
    }


@register.simple_tag
def article_meta(article: Article, description: str = "") -> SafeString:
    """Write an article's canonical link, preview tags, NewsArticle and breadcrumbs."""
    description = description or opengraph.summary(article.dek)
    meta = opengraph.article_meta(article, description=description)
    data = jsonld.news_article(
        article,
        description=description,
        topics=article.confirmed_topics,
        comments=jsonld.newest_comments(article),
    )
    trail = [(settings.SITE_NAME, reverse("newsroom:front"))]
    if article.section is not None:
        trail.append((article.section.name, article.section.get_absolute_url()))
    trail.append((article.headline, article.get_absolute_url()))
    return format_html(
        "{}\n{}\n{}",
        SafeString(_NO_PREFETCH),
        opengraph.meta_tags(meta),
        _scripts(data, jsonld.breadcrumbs(trail)),
    )


@register.simple_tag
def listing_meta(listing: Listing) -> SafeString:
    """Write a list page's canonical link, preview tags and CollectionPage (or ProfilePage)."""
    meta = opengraph.listing_meta(listing)
    page = listing.page
    start = page.start_index() or 1
    home = (settings.SITE_NAME, reverse("newsroom:front"))
    blocks: list[jsonld.JsonObject] = []
    if listing.author is not None:
        blocks.append(
            jsonld.profile_page(listing.author, url=meta.canonical, description=meta.description)
        )
    else:
        name, about = meta.title, None
        if listing.section is not None:
            name = listing.section.name
        elif listing.tag is not None:
            name = listing.tag.name
        elif listing.topic is not None:
            name, about = listing.topic.name, jsonld.topic_thing(listing.topic)
        blocks.append(
            jsonld.collection_page(
                name=name,
                url=meta.canonical,
                description=meta.description,
                articles=page.object_list,
                start=start,
                about=about,
            )
        )
        if listing.section is not None:
            blocks.append(jsonld.breadcrumbs([home, (name, listing.section.get_absolute_url())]))
        elif listing.tag is None and listing.topic is None:
            blocks.append({"@context": "https://schema.org", **jsonld.website()})
    return format_html("{}\n{}", opengraph.meta_tags(meta), _scripts(*blocks))
