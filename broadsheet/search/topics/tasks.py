"""Background tasks for topics: thin wrappers that load by id and call a service."""

from django_tasks import task


@task()
def article_topics_suggest_task(article_id: int) -> int:
    """Recompute an article's suggested topics; return how many were suggested."""
    from broadsheet.newsroom.models import Article
    from broadsheet.search.topics.suggest import article_topics_refresh

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        # Deleted before the queue reached it: nothing to suggest for.
        return 0
    return len(article_topics_refresh(article=article).suggestions)
