"""Background tasks: thin wrappers that load by id and call a service."""

from django_tasks import task


@task()
def entry_sync_task(article_id: int) -> bool:
    """Bring one article's search entry in line with the article; return whether it is indexed."""
    from broadsheet.search.services import entry_sync

    return entry_sync(article_id=article_id)
