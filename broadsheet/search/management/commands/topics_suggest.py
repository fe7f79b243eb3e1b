"""Recompute the topics suggested for articles from their text and the editors' list."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from broadsheet.core.progress import Progress
from broadsheet.newsroom.models import Article
from broadsheet.search.topics import article_topics_refresh
from broadsheet.search.topics.extract import TopicModelMissing


class Command(BaseCommand):
    """`broadsheet topics_suggest [--all] [--dry-run]`: a thin wrapper over the topics service."""

    help = (
        "Suggest topics for articles never analysed (--all: every article). Editors' decisions "
        "(confirmed, dropped) are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every",
            help="Recompute every article, not only those never analysed.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the suggestions; store nothing."
        )

    def handle(self, *args, every: bool = False, dry_run: bool = False, **options) -> None:
        articles = Article.objects.order_by("pk")
        if not every:
            articles = articles.filter(article_topics__isnull=True)
        # Ids first: the rows written along the way must not change which articles are visited.
        ids = list(articles.values_list("pk", flat=True))
        total = len(ids)
        bar = Progress(self.stdout, label="Suggesting topics", total=total, unit="articles")
        progress = bar.tty and not dry_run
        added = removed = suggested = 0
        try:
            for done, pk in enumerate(ids, start=1):
                article = Article.objects.filter(pk=pk).first()
                if article is None:
                    continue  # deleted meanwhile
                result = article_topics_refresh(article=article, dry_run=dry_run)
                suggested += len(result.suggestions)
                if result.stored is not None:
                    added += result.stored.added
                    removed += result.stored.removed
                if dry_run:
                    names = ", ".join(
                        f"{s.name} ({s.kind}, {s.mentions})" for s in result.suggestions
                    )
                    self.stdout.write(f"{article.headline}: {names or 'no topics'}")
                elif progress:
                    bar.update(done)
        except TopicModelMissing as exc:
            raise CommandError(str(exc)) from exc
        if progress and total:
            bar.finish()
        if dry_run:
            self.stdout.write(
                f"Dry run: {suggested} topics for {total} articles; nothing was stored."
            )
        else:
            self.stdout.write(
                f"Suggested {suggested} topics for {total} articles: "
                f"{added} new, {removed} no longer suggested."
            )
