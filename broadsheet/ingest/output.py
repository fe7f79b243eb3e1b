"""Writing an export or archive file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from django.core.management.base import CommandError


@contextmanager
def file_written_whole(target: Path, *, private: bool = False) -> Iterator[TextIO]:
    """Yield a text file beside target, renamed to it at the end: a failure leaves no half file.

    private makes it readable by its owner only (it holds emails, maybe password hashes).
    """
    if not target.parent.is_dir():
        raise CommandError(f"{target}: the folder {target.parent} does not exist.")
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            yield out
        if private:
            os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
