"""The replica router: anonymous reads go to the replica, a reader's own writes stay visible."""

from __future__ import annotations

from django.test import RequestFactory

from broadsheet.core.db_router import PRIMARY, REPLICA, ReplicaMiddleware, ReplicaRouter


def _reads_from(request, *, write_first: bool = False) -> str:
    router = ReplicaRouter()
    seen: list[str] = []

    def view(_request):
        if write_first:
            router.db_for_write(None)
        seen.append(router.db_for_read(None))
        return None

    ReplicaMiddleware(view)(request)
    return seen[0]


def test_an_anonymous_get_reads_the_replica():
    assert _reads_from(RequestFactory().get("/2026/12/04/story/")) == REPLICA


def test_a_reader_with_a_session_reads_the_primary():
    request = RequestFactory().get("/2026/12/04/story/")
    request.COOKIES["sessionid"] = "abc"
    assert _reads_from(request) == PRIMARY


def test_a_post_and_everything_after_a_write_read_the_primary():
    assert _reads_from(RequestFactory().post("/comments/post/")) == PRIMARY
    assert _reads_from(RequestFactory().get("/"), write_first=True) == PRIMARY
    # The next request starts afresh.
    assert _reads_from(RequestFactory().get("/")) == REPLICA


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate(PRIMARY, "discussion") is True
    assert router.allow_migrate(REPLICA, "discussion") is False
