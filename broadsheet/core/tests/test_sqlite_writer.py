"""SQLite's writers queue on "<database>.writer", held from BEGIN to COMMIT or ROLLBACK."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import connection, connections, transaction

from broadsheet.core.models import RateCounter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the writer lock is the SQLite backend's own"
    ),
]


def _lock_is_free() -> bool:
    """Try the writer lock from a descriptor of our own, as another server thread would."""
    fd = os.open(f"{connection.settings_dict['NAME']}.writer", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def _counter(key: str) -> None:
    RateCounter.objects.create(key=key, window_start=0, count=1, expires_at=0)


def test_a_transaction_holds_the_writer_lock_until_it_commits():
    assert connection.settings_dict["ENGINE"] == "broadsheet.core.sqlite"
    with transaction.atomic():
        _counter("committed")
        assert not _lock_is_free()
    assert _lock_is_free()
    assert RateCounter.objects.filter(key="committed").exists()


def test_a_rolled_back_transaction_releases_the_lock_and_keeps_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        _counter("rolled back")
        assert not _lock_is_free()
        raise RuntimeError("the write fails")
    assert _lock_is_free()
    assert not RateCounter.objects.filter(key="rolled back").exists()


def test_a_second_thread_writes_as_soon_as_the_first_commits():
    order: list[str] = []
    holding = threading.Event()

    def second() -> None:
        holding.wait(timeout=10)
        try:
            with transaction.atomic():
                order.append("second began")
                _counter("second")
        finally:
            connections.close_all()

    worker = threading.Thread(target=second)
    worker.start()
    with transaction.atomic():
        _counter("first")
        holding.set()
        # The second thread is now queued on the lock, not inside a transaction of its own.
        worker.join(timeout=0.3)
        assert worker.is_alive() and order == []
        order.append("first committing")
    worker.join(timeout=10)
    assert order == ["first committing", "second began"]
    assert set(RateCounter.objects.values_list("key", flat=True)) == {"first", "second"}
