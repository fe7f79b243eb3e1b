"""The search app."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search app."""

    name = "broadsheet.search"
    label = "search"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_init, post_save

        from broadsheet.newsroom.models import Article
        from broadsheet.search.signal_handlers import (
            reindex_on_article_deleted,
            reindex_on_article_saved,
        )
        from broadsheet.search.topics import checks  # noqa: F401  (registers the model check)
        from broadsheet.search.topics.signal_handlers import (
            topics_suggest_on_article_saved,
            topics_text_remember_on_article_loaded,
        )

        # An article's suggested topics follow its text: recomputed after a commit that changed it.
        post_init.connect(
            topics_text_remember_on_article_loaded,
            sender=Article,
            dispatch_uid="search.topics_text_remember_on_article_loaded",
        )
        post_save.connect(
            topics_suggest_on_article_saved,
            sender=Article,
            dispatch_uid="search.topics_suggest_on_article_saved",
        )
        # The search index follows every article after commit, never inside the request.
        post_save.connect(
            reindex_on_article_saved,
            sender=Article,
            dispatch_uid="search.reindex_on_article_saved",
        )
        post_delete.connect(
            reindex_on_article_deleted,
            sender=Article,
            dispatch_uid="search.reindex_on_article_deleted",
        )
