"""Background tasks: thin wrappers that load by id and call a service."""

from django_tasks import task


@task()
def image_renditions_task(image_id: int) -> int:
    """Make an image's missing renditions; return how many were written."""
    from broadsheet.newsroom.models import Image
    from broadsheet.newsroom.services import image_renditions_make

    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        # Deleted before the queue reached it: nothing to render.
        return 0
    return image_renditions_make(image=image).made
