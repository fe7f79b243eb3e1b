"""System checks for topics, so a missing model shows at `broadsheet check`, not in the admin."""

from __future__ import annotations

from django.core.checks import CheckMessage, Warning, register

from broadsheet.search.topics import extract


@register()
def check_topic_model(app_configs=None, **kwargs) -> list[CheckMessage]:
    """The spaCy model package that suggests topics can be imported."""
    try:
        extract.model_installed_check()
    except extract.TopicModelMissing as exc:
        return [
            Warning(
                f"Topic suggestions are off: {exc.args[0]}.",
                hint=f"Install the model: {extract.INSTALL_HINT}",
                id="search.W001",
            )
        ]
    return []
