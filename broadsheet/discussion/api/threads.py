"""Reading threads: one page of a thread by key or page URL, and counts for many pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from broadsheet.core.page_cache import shared_page
from broadsheet.discussion import pages, selectors
from broadsheet.discussion.api.errors import ApiError
from broadsheet.discussion.api.parsers import nul_refuse
from broadsheet.discussion.api.schemas import ERROR_RESPONSES, Counts, Sort, ThreadPageOut
from broadsheet.discussion.api.serializers import json_response, thread_page_dict
from broadsheet.discussion.models import Thread
from broadsheet.discussion.pages import EmptyThread
from broadsheet.discussion.selectors import ThreadPage
from broadsheet.discussion.sessions import viewer_for

# Counting is for list pages; a page never shows more stories than this.
COUNTS_MAX = 200

router = Router()


@router.get("/threads", response={200: ThreadPageOut, **ERROR_RESPONSES}, tags=["threads"])
def thread_read(
    request: HttpRequest,
    key: str = Query("", examples=["article:1"]),
    url: str = Query("", description="The page's address, instead of the key."),
    sort: Sort = "oldest",
    page: int = Query(1, description="Pages count top-level comments, first page 1."),
):
    """Read one page of a thread (by key or page URL): top-level comments with all replies."""
    nul_refuse(key=[key], url=[url])
    page = max(1, min(page, 1_000_000))
    thread = pages.thread_for_read(
        key=key, url=url, request_origin=pages.request_origin_of(request)
    )

    def render(_extra: dict) -> HttpResponse:
        result: ThreadPage | EmptyThread
        if isinstance(thread, Thread):
            result = selectors.thread_page(
                thread=thread, viewer=viewer_for(request), sort=sort, page=page
            )
        else:
            result = thread
        # The shaper builds exactly ThreadPageOut (the schema tests check it); skipping
        # pydantic's second pass over every comment takes a third off a big page's time.
        return json_response(request, thread_page_dict(request, result, sort), status=200)

    if not isinstance(thread, Thread):
        return render({})
    # Every reader without a session or token shares one answer per version of the thread.
    return shared_page(
        request,
        versions=("api", thread.pk, thread.version, thread.is_open, settings.GRAVATAR),
        last_modified=thread.updated_at,
        render=render,
        params=("key", "url", "sort", "page"),
    )


@router.get("/counts", response={200: Counts, **ERROR_RESPONSES}, tags=["threads"])
def comment_counts(
    request: HttpRequest,
    key: list[str] = Query([]),  # noqa: B008 - ninja's way to declare a repeated parameter
    url: list[str] = Query([]),  # noqa: B008
):
    """Count approved comments for many thread keys and page URLs in one call."""
    nul_refuse(key=key, url=url)
    if len(key) + len(url) > COUNTS_MAX:
        raise ApiError(
            422,
            f"Ask for at most {COUNTS_MAX} threads at a time.",
            {"key": [f"At most {COUNTS_MAX} keys and URLs together."]},
        )
    by_key, by_url = pages.counts_for(
        keys=key, urls=url, request_origin=pages.request_origin_of(request)
    )
    return Status(200, {"keys": by_key, "urls": by_url})
