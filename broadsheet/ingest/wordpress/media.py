"""Photos inside imported posts: point them at the files the import brought, not the old site."""

from __future__ import annotations

import re

from broadsheet.ingest.wordpress.wxr import uploads_path

# WordPress serves a photo at several sizes ("boats-1024x683.jpg"): all are the one upload.
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
# An image in the stored Markdown: ![alt](address) or ![alt](address "title").
_MARKDOWN_IMAGE = re.compile(r"(!\[[^\]]*\]\()(\S+?)((?:\s+\"[^\"]*\")?\))")


def media_key(url: str) -> str:
    """The upload an address shows, whatever size WordPress served: "2024/05/boats.jpg", or ""."""
    relative = uploads_path(url)
    return _SIZE_SUFFIX.sub("", relative) if relative else ""


def body_media_rewrite(body: str, local: dict[str, str]) -> str:
    """Replace old-site image addresses in Markdown with this site's copies, where there is one."""

    def swap(match: re.Match[str]) -> str:
        found = local.get(media_key(match.group(2)))
        return f"{match.group(1)}{found}{match.group(3)}" if found else match.group(0)

    return _MARKDOWN_IMAGE.sub(swap, body)
