"""Disqus XML exports in: `disqus_import(path=...)`."""

from broadsheet.ingest.disqus.importer import DisqusImported, disqus_import

__all__ = ["DisqusImported", "disqus_import"]
