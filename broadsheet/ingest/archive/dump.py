"""Write the whole site as one JSON-lines archive, row by row, in bounded memory.

Line 1 is a header: {"format": "broadsheet-site", "version": 1, "created_at", "site_url",
"counts"}. Every other line is one row: {"type": "article", "pk": 7, <field>: <value>, ...},
foreign keys as the primary key they point at, many-to-many fields as lists of keys, a user's
groups by name. An image's file travels inside its own line, base64-encoded ("file_content"):
one self-contained text file that any tool can stream line by line, at the price of a third
more bytes than a tar of the same files; memory holds one row (one image) at a time.

Users' email addresses are always included (a move needs them to sign in and be notified);
password hashes only when asked (`with_secrets`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from broadsheet.ingest.archive.spec import FORMAT, VERSION, RowType, row_types

CHUNK = 500


@dataclass(frozen=True)
class SiteDumped:
    """What a dump wrote: rows by type, and the bytes of media files inside them."""

    counts: dict[str, int]
    media_bytes: int


def encode(value: Any) -> Any:
    """A field's value as JSON can carry it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _queryset(kind: RowType) -> models.QuerySet:
    queryset = kind.model._default_manager.all()
    if kind.name == "comment":
        # Path order within each thread: a parent always comes before its replies.
        return queryset.order_by("thread_id", "path")
    return queryset.order_by("pk")


def row_dict(kind: RowType, obj: models.Model, *, with_secrets: bool) -> tuple[dict, int]:
    """One row as the archive writes it, and the bytes of any file it carries."""
    row: dict[str, Any] = {"type": kind.name, "pk": obj.pk}
    for model_field in kind.model._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.name in kind.secret_fields and not with_secrets:
            continue
        row[model_field.name] = encode(model_field.value_from_object(obj))
    for name in kind.many_to_many:
        row[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    if kind.name == "user":
        row["groups"] = sorted(obj.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    media = 0
    if kind.name == "image" and obj.file:  # type: ignore[attr-defined]
        with obj.file.open("rb") as stream:  # type: ignore[attr-defined]
            content = stream.read()
        row["file_content"] = base64.b64encode(content).decode()
        media = len(content)
    return row, media


def site_dump(
    *,
    out: TextIO,
    with_secrets: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SiteDumped:
    """Write the header and every row of the site to out, one JSON object a line."""
    kinds = row_types()
    # One transaction: on SQLite (WAL) and PostgreSQL's repeatable read a consistent snapshot.
    with transaction.atomic():
        counts = {kind.name: kind.model._default_manager.count() for kind in kinds}
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "site_url": settings.SITE_URL,
            "with_secrets": with_secrets,
            "counts": counts,
        }
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        total = sum(counts.values())
        done = media = 0
        for kind in kinds:
            for obj in _queryset(kind).iterator(chunk_size=CHUNK):
                row, size = row_dict(kind, obj, with_secrets=with_secrets)
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                media += size
                done += 1
                if progress is not None:
                    progress(done, total)
    return SiteDumped(counts=counts, media_bytes=media)
