"""Template tags for the site's chrome."""

from django import template

from broadsheet.newsroom.selectors import nav_sections

register = template.Library()


@register.inclusion_tag("newsroom/_section_nav.html", takes_context=True)
def section_nav(context: template.Context) -> dict:
    """Render the section navigation, marking the section being read."""
    current = context.get("current_section")
    return {"sections": nav_sections(), "current": current}
