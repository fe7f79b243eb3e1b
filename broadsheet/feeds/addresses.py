"""The published article a full address of this site points at: for oEmbed and share pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Article


def article_at_url(url: str) -> Article:
    """Return the published article at url, an address on SITE_URL; 404 for anything else."""
    try:
        parts = urlsplit(url)
        site = urlsplit(settings.SITE_URL)
    except ValueError as exc:  # e.g. "http://[::1": not an address at all
        raise Http404("Not an address") from exc
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise Http404("Not an address of this site")
    try:
        match = resolve(parts.path)
    except Resolver404 as exc:
        raise Http404("No such page") from exc
    if match.view_name != "newsroom:article":
        raise Http404("Not an article")
    return selectors.article_for_permalink(**match.kwargs)
