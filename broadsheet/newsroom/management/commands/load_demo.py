"""Load the fictional demo articles with their generated images."""

from django.core.management.base import BaseCommand

from broadsheet.newsroom.demo import demo_load


class Command(BaseCommand):
    """`broadsheet load_demo [--if-empty]`: a thin wrapper over `newsroom.demo.demo_load`."""

    help = "Load fictional demo articles, sections, wire credits and generated lead images."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any article exists (fast second start).",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        result = demo_load(if_empty=if_empty)
        self.stdout.write(result.summary())
