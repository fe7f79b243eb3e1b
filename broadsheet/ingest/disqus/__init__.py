"""Disqus XML exports in."""
