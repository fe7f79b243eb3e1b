"""`{% feed_alternates %}`: the <link rel="alternate"> lines for the feeds a page has."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

register = template.Library()

RSS, ATOM, JSON = "application/rss+xml", "application/atom+xml", "application/feed+json"


@register.simple_tag(takes_context=True)
def feed_alternates(context) -> str:
    """Link the site's feeds, plus the feed of what this page lists or its article's comments."""
    try:
        return _feed_alternates(context)
    except NoReverseMatch:
        # A page served without the feeds' URLs (discussion's own test page) has no feeds.
        return ""


def _feed_alternates(context) -> str:
    site = settings.SITE_NAME
    links = [
        (RSS, site, reverse("feeds:rss")),
        (ATOM, f"{site} (Atom)", reverse("feeds:atom")),
        (JSON, f"{site} (JSON Feed)", reverse("feeds:json")),
    ]
    listing = context.get("listing")
    article = context.get("article")
    for kind in ("section", "tag", "author", "topic"):
        subject = getattr(listing, kind, None) if listing is not None else None
        if subject is not None:
            url = reverse(f"feeds:{kind}", kwargs={"slug": subject.slug})
            links.append((RSS, f"{subject} · {site}", url))
    if article is not None and getattr(article, "pk", None) and not context.get("preview"):
        links.append(
            (RSS, f"Comments on: {article.headline}", article.get_absolute_url() + "feed/")
        )
        links.append(
            (
                "application/json+oembed",
                article.headline,
                reverse("feeds:oembed")
                + "?"
                + urlencode({"url": settings.SITE_URL + article.get_absolute_url()}),
            )
        )
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((kind, title, href) for kind, title, href in links),
    ) or format_html("")
