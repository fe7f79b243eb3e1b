"""Load a site archive: into an empty site exactly as it was, or merged into a site in use.

This is a backup restore, so rows are written raw (bulk inserts keeping their primary keys,
their stored counters, tree paths, verdicts and timestamps) rather than through the services:
the services would re-judge comments, renumber trees, notify subscribers and stamp new times,
which is right for new content and wrong for a copy of old content. Nothing else writes this
way. The whole archive loads in one transaction: a broken line anywhere leaves the site as it
was, and files already stored for its images are removed again.

Without --merge, a site that already holds any row of an archived type is refused. With it,
each row is matched by its natural key (spec.py: a user's username, a section's slug, an
article's slug, a thread's key, a comment's thread, time, author and text, ...), after its
foreign keys are mapped to this site's rows: a match is updated, anything else added with a new
key. An article's thread key ("article:<id>") and policy keys follow the article's new id; a
merged comment takes the next place in its thread here; merged threads are recounted.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from broadsheet.discussion import services as discussion
from broadsheet.discussion import tree
from broadsheet.discussion.models import Comment, Thread
from broadsheet.ingest.archive.spec import FORMAT, VERSION, RowType, row_type_named, row_types
from broadsheet.ingest.legacy import legacy_urls_changed

MAX_LINE_BYTES = 256 << 20  # one image's line, base64


class ArchiveError(Exception):
    """The archive cannot be loaded; the message names the file and line. Nothing was kept."""


@dataclass
class SiteLoaded:
    """What a load did (on a dry run: would do), by row type."""

    dry_run: bool = False
    merge: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    site_url: str = ""


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no such file.") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc.strerror}).") from None
    with stream:
        number = 0
        while True:
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                raise ArchiveError(f"{path}, line {number}: longer than {MAX_LINE_BYTES >> 20} MB.")
            if not raw.strip():
                continue
            if not raw.endswith(b"\n"):
                raise ArchiveError(
                    f"{path}, line {number}: the line is cut off (the archive is truncated)."
                )
            try:
                value = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise ArchiveError(
                    f"{path}, line {number}: not UTF-8 text (byte {exc.start + 1})."
                ) from None
            except json.JSONDecodeError as exc:
                raise ArchiveError(
                    f"{path}, line {number}, column {exc.colno}: not JSON ({exc.msg})."
                ) from None
            if not isinstance(value, dict):
                raise ArchiveError(f"{path}, line {number}: a JSON object was expected.")
            yield number, value


def _header_check(path: Path, number: int, header: dict) -> None:
    if header.get("format") != FORMAT:
        raise ArchiveError(
            f"{path}, line {number}: not a Broadsheet site archive (the first line's format is "
            f"{header.get('format')!r}, not {FORMAT!r})."
        )
    version = header.get("version")
    if not isinstance(version, int) or version < 1:
        raise ArchiveError(f"{path}, line {number}: the archive version {version!r} is not valid.")
    if version > VERSION:
        raise ArchiveError(
            f"{path}: archive version {version} was made by a newer Broadsheet; this one reads "
            f"version {VERSION} and older. Upgrade Broadsheet to load it."
        )


# What a matched row keeps of its own on --merge: an image its file; a thread its counters and
# numbering (recounted after); a comment its place in this site's tree.
KEPT_ON_MERGE = {
    "image": ("file",),
    "thread": ("last_seq", "comment_count", "top_level_count", "version"),
    "comment": ("parent_id", "root_id", "path", "depth", "seq"),
}
# A fresh site comes with these from its migrations (the default word lists): they do not make
# it "in use", and an exact load replaces them with the archived site's own.
SEEDED = frozenset({"word_rule"})


def site_contents() -> dict[str, int]:
    """The archived types this site already has rows of (besides what migrations seed)."""
    found = {}
    for kind in row_types():
        if kind.name not in SEEDED and kind.model._default_manager.exists():
            found[kind.name] = kind.model._default_manager.count()
    return found


def _decode(model_field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return datetime.fromisoformat(value)
    if isinstance(model_field, models.DateField):
        return date.fromisoformat(value)
    if isinstance(model_field, models.BinaryField):
        return base64.b64decode(value["base64"])
    return value


class _Loader:
    def __init__(self, *, path: Path, merge: bool, result: SiteLoaded) -> None:
        self.path = path
        self.merge = merge
        self.result = result
        self.ids: dict[type[models.Model], dict[int, int]] = {}
        self.written_files: list[str] = []
        self.threads_touched: set[int] = set()
        self.last_seq: dict[int, int] = {}  # thread id -> last sequence number given, on merge

    def where(self, number: int) -> str:
        return f"{self.path}, line {number}"

    def _local_id(self, model: type[models.Model], pk: Any) -> Any:
        if pk is None or not self.merge:
            return pk
        # Parents come first, so every key the archive names is mapped by now; one that is not
        # must not land on whatever row here has that number.
        return self.ids.get(model, {}).get(pk)

    def fields(self, kind: RowType, number: int, row: dict) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for model_field in kind.model._meta.concrete_fields:
            if model_field.primary_key:
                continue
            if model_field.name not in row:
                if model_field.name in kind.secret_fields:
                    values[model_field.name] = make_password(None)  # no password: reset it
                continue
            value = row[model_field.name]
            try:
                if model_field.is_relation:
                    related = model_field.related_model
                    values[model_field.attname] = self._local_id(related, value)  # type: ignore[arg-type]
                else:
                    values[model_field.attname] = _decode(model_field, value)
            except (TypeError, ValueError, KeyError, binascii.Error) as exc:
                raise ArchiveError(
                    f"{self.where(number)}: {kind.name} field {model_field.name!r} has a value "
                    f"that cannot be read ({exc})."
                ) from None
        if kind.name == "thread" and self.merge:
            values["key"] = self._article_key(values.get("key", ""))
            values["context_keys"] = [self._article_key(k) for k in values.get("context_keys", [])]
        return values

    def _article_key(self, key: str) -> str:
        from broadsheet.newsroom.models import Article

        prefix, _, rest = key.partition(":")
        if prefix == "article" and rest.isdigit():
            return f"article:{self._local_id(Article, int(rest))}"
        return key

    def media(self, number: int, row: dict, values: dict[str, Any]) -> None:
        content = row.get("file_content")
        if not content:
            return
        try:
            data = base64.b64decode(content, validate=True)
        except binascii.Error:
            raise ArchiveError(
                f"{self.where(number)}: the image's file_content is not base64."
            ) from None
        name = values.get("file") or f"images/archive-{row.get('pk')}"
        stored = default_storage.save(name, ContentFile(data))
        self.written_files.append(stored)
        values["file"] = stored
        self.result.media_files += 1

    def row(self, number: int, row: dict) -> None:
        kind = row_type_named(str(row.get("type", "")))
        if kind is None:
            raise ArchiveError(f"{self.where(number)}: unknown row type {row.get('type')!r}.")
        pk = row.get("pk")
        if not isinstance(pk, int):
            raise ArchiveError(f"{self.where(number)}: the {kind.name} row has no integer pk.")
        values = self.fields(kind, number, row)
        model = kind.model
        manager = model._default_manager
        existing = None
        if self.merge:
            lookup = {}
            for name in kind.natural_key:
                model_field = model._meta.get_field(name)
                attname = model_field.attname  # type: ignore[union-attr]
                lookup[attname] = values.get(attname)
            existing = manager.filter(**lookup).first()
        if existing is not None:
            for name in KEPT_ON_MERGE.get(kind.name, ()):
                values.pop(name, None)
            for name in kind.secret_fields:
                if name not in row:
                    values.pop(name, None)  # a user here keeps the password they have
            manager.filter(pk=existing.pk).update(**values)
            local = existing.pk
            self.result.updated[kind.name] = self.result.updated.get(kind.name, 0) + 1
        else:
            self.media(number, row, values)
            if self.merge and kind.name == "comment":
                self._place(values)
            obj = model(**values) if self.merge else model(pk=pk, **values)
            auto = {
                f.attname: values[f.attname]
                for f in model._meta.concrete_fields
                if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
                and f.attname in values
            }
            # bulk_create: no save() overrides and no signals (an article's save would make its
            # thread before the archive's thread row arrives).
            [obj] = manager.bulk_create([obj])
            if auto:
                manager.filter(pk=obj.pk).update(**auto)  # insert stamps "now"; keep the archive's
            local = obj.pk
            self.result.created[kind.name] = self.result.created.get(kind.name, 0) + 1
        self.ids.setdefault(model, {})[pk] = local
        if kind.many_to_many or kind.name == "user":
            instance = manager.get(pk=local)
            for name in kind.many_to_many:
                related = model._meta.get_field(name).related_model
                targets = [self._local_id(related, value) for value in row.get(name, [])]  # type: ignore[arg-type]
                getattr(instance, name).set(targets)
            if kind.name == "user":
                names = row.get("groups", [])
                groups = [Group.objects.get_or_create(name=name)[0] for name in names]
                instance.groups.set(groups)  # type: ignore[attr-defined]
        if kind.name == "comment":
            self.threads_touched.add(values["thread_id"])

    def finish(self) -> None:
        # Foreign keys are deferred to commit; check them now, while the error can still name
        # the archive (and inside a caller's transaction, which would only check much later).
        tables = [kind.model._meta.db_table for kind in row_types()]
        connection.check_constraints(table_names=tables)
        if connection.vendor == "postgresql":
            # Rows came with their ids: the next new row must not reuse one.
            models_loaded = [kind.model for kind in row_types()] + [Group]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models_loaded):
                    cursor.execute(statement)
        if self.merge:
            for thread_id, seq in self.last_seq.items():
                Thread.objects.filter(pk=thread_id).update(last_seq=seq)
            # Merged comments joined threads that had their own: recount them exactly.
            for thread in Thread.objects.filter(pk__in=self.threads_touched):
                discussion.thread_recount(thread=thread)

    def _place(self, values: dict[str, Any]) -> None:
        """Give a merged comment the next place in its thread here, under its mapped parent.

        The archive's paths were numbered on the other site; this thread may already use them.
        """
        thread_id = values["thread_id"]
        if thread_id not in self.last_seq:
            self.last_seq[thread_id] = Thread.objects.values_list("last_seq", flat=True).get(
                pk=thread_id
            )
        self.last_seq[thread_id] += 1
        seq = self.last_seq[thread_id]
        parent_path, depth, root_id = "", 0, None
        if values.get("parent_id"):
            parent = Comment.objects.values("path", "depth", "root_id").get(pk=values["parent_id"])
            parent_path, depth = parent["path"], parent["depth"] + 1
            root_id = parent["root_id"] or values["parent_id"]
        values.update(seq=seq, path=tree.child_path(parent_path, seq), depth=depth, root_id=root_id)

    def discard_files(self) -> None:
        for name in self.written_files:
            default_storage.delete(name)


@contextmanager
def _foreign_keys_checked(path: Path) -> Iterator[None]:
    """Foreign keys are checked when the transaction commits: say so in the archive's terms."""
    try:
        yield
    except IntegrityError as exc:
        detail = " ".join(str(exc).split())
        raise ArchiveError(
            f"{path}: a row points at a row the archive does not hold ({detail}); "
            "nothing was loaded."
        ) from None


def site_load(
    *,
    path: Path,
    merge: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SiteLoaded:
    """Load an archive in one transaction; refuse a site in use unless merging."""
    result = SiteLoaded(dry_run=dry_run, merge=merge)
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise ArchiveError(f"{path}: the file is empty.")
    _header_check(path, *first)
    header = first[1]
    result.site_url = str(header.get("site_url", ""))
    total = sum(v for v in (header.get("counts") or {}).values() if isinstance(v, int))
    held = {} if merge else site_contents()
    if held:
        shown = ", ".join(f"{count} {name}" for name, count in list(held.items())[:4])
        raise ArchiveError(
            f"{path}: this site already has content ({shown}); load an archive only into an "
            "empty site, or give --merge to update matching rows and add the others."
        )
    loader = _Loader(path=path, merge=merge, result=result)
    try:
        with _foreign_keys_checked(path), transaction.atomic():
            if not merge:
                for kind in row_types():
                    if kind.name in SEEDED:
                        kind.model._default_manager.all().delete()
            done = 0
            for number, row in lines:
                try:
                    with transaction.atomic():
                        loader.row(number, row)
                except (IntegrityError, DatabaseError) as exc:
                    detail = " ".join(str(exc).split()) or type(exc).__name__
                    raise ArchiveError(
                        f"{loader.where(number)}: the {row.get('type')} row cannot be stored "
                        f"({detail})."
                    ) from None
                done += 1
                if progress is not None:
                    progress(done, total)
            loader.finish()
            # Restored old addresses must redirect: forget the cached "none stored".
            legacy_urls_changed()
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        loader.discard_files()
        raise
    if dry_run:
        loader.discard_files()
    return result
