"""`{% article_linkbacks article %}`: the pingbacks and trackbacks an imported article brought."""

from __future__ import annotations

from django import template

from broadsheet.ingest.models import Linkback

register = template.Library()


@register.inclusion_tag("ingest/_linkbacks.html")
def article_linkbacks(article) -> dict:
    """List the article's approved linkbacks apart from the readers' comments (one query)."""
    rows = []
    if article is not None and article.pk is not None:
        rows = list(
            Linkback.objects.filter(article=article, status=Linkback.Status.APPROVED).only(
                "kind", "source_url", "source_name", "excerpt", "created_at"
            )
        )
    return {"linkbacks": rows}
