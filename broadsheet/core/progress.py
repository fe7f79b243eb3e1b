"""Progress of a long command: a bar on a terminal, a plain line now and then in a log."""

from __future__ import annotations

import time
from typing import TextIO

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30
# Off a terminal (a log, CI), a line at most this often, so a long import stays readable.
PLAIN_EVERY_SECONDS = 5.0


class Progress:
    """Report done/total (total may be unknown: 0) to a stream, as a bar or as plain lines."""

    def __init__(
        self, stream: TextIO | OutputWrapper, *, label: str, total: int = 0, unit: str = ""
    ) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last_plain = 0.0
        self._started = time.monotonic()

    def advance(self, by: int = 1, *, total: int | None = None) -> None:
        """Count by more items done (and learn the total when it becomes known)."""
        self.update(self.done + by, total)

    def update(self, done: int, total: int | None = None) -> None:
        """Report done items so far, out of total when given."""
        self.done = done
        if total is not None:
            self.total = total
        if self.tty:
            self._emit("\r" + self._line(bar=True))
        elif time.monotonic() - self._last_plain >= PLAIN_EVERY_SECONDS:
            self._last_plain = time.monotonic()
            self._emit(self._line(bar=False) + "\n")

    def finish(self) -> None:
        """End the bar's line, or write the last plain line."""
        self._emit(("\r" + self._line(bar=True) if self.tty else self._line(bar=False)) + "\n")

    def _emit(self, text: str) -> None:
        # A management command's OutputWrapper adds its own line ending unless told not to.
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()

    def _line(self, *, bar: bool) -> str:
        # The bar is redrawn in place, so it shows no clock; a log line says how long so far.
        unit = f" {self.unit}" if self.unit else ""
        clock = "" if bar else f" ({time.monotonic() - self._started:.0f} s)"
        if not self.total:
            return f"{self.label}: {self.done:,}{unit}{clock}"
        share = min(self.done / self.total, 1.0)
        text = f"{self.label}: {self.done:,}/{self.total:,}{unit} ({share:.0%}){clock}"
        if not bar:
            return text
        filled = int(BAR_WIDTH * share)
        return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {text}"


class CommandText:
    """A command's stdout as a plain text stream: Django's wrapper would end every write."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)
