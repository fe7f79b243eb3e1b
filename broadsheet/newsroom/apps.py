"""The newsroom app."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NewsroomConfig(AppConfig):
    """The newsroom app."""

    name = "broadsheet.newsroom"
    label = "newsroom"

    def ready(self) -> None:
        from broadsheet.newsroom.models import Article
        from broadsheet.newsroom.signal_handlers import (
            thread_hide_on_article_deleted,
            thread_sync_on_article_saved,
        )

        # The article's discussion follows the article when it is saved, never when it is read.
        post_save.connect(
            thread_sync_on_article_saved,
            sender=Article,
            dispatch_uid="newsroom.thread_sync_on_article_saved",
        )
        post_delete.connect(
            thread_hide_on_article_deleted,
            sender=Article,
            dispatch_uid="newsroom.thread_hide_on_article_deleted",
        )
