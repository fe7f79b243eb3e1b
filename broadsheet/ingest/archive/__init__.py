"""Whole-site archives: `site_dump(out=...)` (dumpsite) and `site_load(path=...)` (loadsite)."""

from broadsheet.ingest.archive.dump import SiteDumped, site_dump
from broadsheet.ingest.archive.load import ArchiveError, SiteLoaded, site_load

__all__ = ["ArchiveError", "SiteDumped", "SiteLoaded", "site_dump", "site_load"]
