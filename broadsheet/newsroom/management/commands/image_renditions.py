"""Make the missing renditions of every stored image."""

from django.core.management.base import BaseCommand

from broadsheet.core.progress import Progress
from broadsheet.newsroom import services
from broadsheet.newsroom.models import Image


class Command(BaseCommand):
    """`broadsheet image_renditions [--dry-run]`: `services.image_renditions_make` per image."""

    help = (
        "Make the missing renditions (resized AVIF, WebP and JPEG copies and the structured-data "
        "crops) of every image, e.g. after an import; existing renditions are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the renditions that are missing; write nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        images = Image.objects.exclude(file="").order_by("pk")
        total = images.count()
        # A bar redrawn in place on a terminal; logs and pipes get the summary only.
        bar = Progress(self.stdout, label="Rendering", total=total, unit="images")
        progress = bar.tty and options["verbosity"] > 0
        made = touched = 0
        failed: list[str] = []
        for n, image in enumerate(images.iterator(chunk_size=100), 1):
            result = services.image_renditions_make(image=image, dry_run=dry_run)
            made += result.made
            touched += bool(result.made)
            if result.error:
                failed.append(f"image {image.pk} ({image.file.name}): {result.error}")
            if progress:
                bar.update(n)
        if progress:
            bar.finish()
        for line in failed:
            self.stderr.write(f"Cannot render {line}")
        verb = "Would make" if dry_run else "Made"
        self.stdout.write(
            f"{verb} {made} rendition{'s' if made != 1 else ''} for {touched} of {total} "
            f"image{'s' if total != 1 else ''}; {len(failed)} could not be read."
        )
