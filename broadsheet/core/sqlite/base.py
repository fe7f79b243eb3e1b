"""SQLite whose write transactions queue on a file lock instead of sleeping on SQLITE_BUSY.

SQLite admits one writer at a time. A second writer's BEGIN IMMEDIATE gets SQLITE_BUSY, and
the busy handler then sleeps 1, 2, 5, 10, 15, 20, 25 ms and so on before trying again, so with
eight server threads posting into one database most of a comment's time was spent asleep
while the lock sat free. Here every transaction first takes an exclusive flock() on
"<database>.writer": the kernel queues the waiters and wakes the next one the moment the
holder commits, and the lock goes with the process if it dies. Each connection (one per
server thread) opens its own descriptor, so threads of one process queue as processes do.
Statements outside a transaction, and other programs, still meet SQLite's own busy handler.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    """The stock wrapper, holding the writer lock from BEGIN to COMMIT or ROLLBACK.

    (The hooks overridden here are Django's own; django-stubs leaves them out, hence the
    type: ignore on each call.)
    """

    _writer_fd: int | None = None
    _writer_held = False

    def _writer_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writer"

    def _writer_acquire(self) -> None:
        if self._writer_fd is None:
            path = self._writer_path()
            if path is None:
                return
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writer_held = True

    def _writer_release(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            self._writer_held = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._writer_release()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._writer_release()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._writer_release()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
