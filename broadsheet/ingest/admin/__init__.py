"""The ingest admin: what imports left behind, and the wire desk."""

from broadsheet.ingest.admin import imports, wire  # noqa: F401 (registers the admin classes)
