"""The discussion embedded under an article (filled in by the discussion issue)."""

from django.http import HttpRequest

from broadsheet.newsroom.models import Article


def discussion_context(request: HttpRequest, article: Article) -> dict:
    """Return the template context for the article's discussion section."""
    return {}
