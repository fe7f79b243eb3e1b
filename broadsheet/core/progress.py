"""Progress of a long command: a bar on a terminal, a plain line now and then in a log."""

from __future__ import annotations

import time
from typing import TextIO

BAR_WIDTH = 30
# Off a terminal (a log, CI), a line at most this often, so a long import stays readable.
PLAIN_EVERY_SECONDS = 5.0


class Progress:
    """Report done/total (total may be unknown: 0) to a stream, as a bar or as plain lines."""

    def __init__(self, stream: TextIO, *, label: str, total: int = 0, unit: str = "") -> None:
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
        self.done += by
        if total is not None:
            self.total = total
        if self.tty:
            self.stream.write("\r" + self._line(bar=True))
            self.stream.flush()
        elif time.monotonic() - self._last_plain >= PLAIN_EVERY_SECONDS:
            self._last_plain = time.monotonic()
            self.stream.write(self._line(bar=False) + "\n")
            self.stream.flush()

    def finish(self) -> None:
        """End the bar's line, or write the last plain line."""
        if self.tty:
            self.stream.write("\r" + self._line(bar=True) + "\n")
        else:
            self.stream.write(self._line(bar=False) + "\n")
        self.stream.flush()

    def _line(self, *, bar: bool) -> str:
        unit = f" {self.unit}" if self.unit else ""
        seconds = time.monotonic() - self._started
        if not self.total:
            return f"{self.label}: {self.done:,}{unit} ({seconds:.0f} s)"
        share = min(self.done / self.total, 1.0)
        text = f"{self.label}: {self.done:,}/{self.total:,}{unit} ({share:.0%}, {seconds:.0f} s)"
        if not bar:
            return text
        filled = int(BAR_WIDTH * share)
        return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {text}"
