"""The ingest app."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    """The ingest app."""

    name = "broadsheet.ingest"
    label = "ingest"
