"""Template tags for the newsroom's photos: a <picture> of renditions, else the original."""

from __future__ import annotations

from django import template

from broadsheet.newsroom import renditions
from broadsheet.newsroom.models import Image

register = template.Library()


@register.inclusion_tag("newsroom/_picture.html")
def picture(image: Image | None, *, sizes: str, alt: str = "", lead: bool = False) -> dict:
    """Render an image's <picture>: lead images load first, the others only when scrolled to."""
    return {"picture": renditions.picture(image), "sizes": sizes, "alt": alt, "lead": lead}
