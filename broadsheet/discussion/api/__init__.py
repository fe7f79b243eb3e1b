"""The discussion's JSON API (django-ninja): read threads, post, reply, edit, delete, count.

Mounted at /api/ (OpenAPI at /api/openapi.json, script-free docs at /api/docs). Operations parse,
make one call into discussion's services, selectors or pages (for threads named by page URL)
and shape the answer; every refusal is JSON: {"detail": "...", "errors": {field: [...]}}.

    auth.py         who may write, and the CSRF defences (read it before changing a write)
    errors.py       ApiError and the handlers that give every refusal the one JSON shape
    parsers.py      request bodies (JSON objects only) and query parameter checks
    schemas.py      request and response shapes (none has a field for email, IP or user agent)
    serializers.py  comments and thread pages as JSON-ready dicts
    threads.py      GET /threads, GET /counts
    comments.py     POST /comments, PATCH and DELETE /comments/{id}, POST /comments/{id}/report
    cors.py         CORS answers for the embedding origins (the policy lives in pages.py)
    docs.py         the script-free reference page at /api/docs

This module is the URLconf config/urls.py includes at api/.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from broadsheet.discussion.api import comments, threads
from broadsheet.discussion.api.cors import cors_wrap
from broadsheet.discussion.api.docs import PlainDocs
from broadsheet.discussion.api.errors import error_handlers_install
from broadsheet.discussion.api.parsers import JsonObjectParser
from broadsheet.discussion.api.serializers import RENDERER

# Clients generate code from operation ids: they name the operation, not the module it lives in.
OPERATION_ID_PREFIX = "broadsheet_discussion_api_"


class BroadsheetApi(NinjaAPI):
    """A NinjaAPI whose operation ids stay the same when operations move between modules."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return f"{OPERATION_ID_PREFIX}{operation.view_func.__name__}"


api = BroadsheetApi(
    title="Broadsheet",
    version="1",
    description=(
        "Reader discussion: read a thread page by key or page URL, post and reply, edit or "
        "delete with the token the post returned, and count comments for many pages at once."
    ),
    docs=PlainDocs(),
    parser=JsonObjectParser(),
    renderer=RENDERER,
    urls_namespace="api",
)
error_handlers_install(api)
api.add_router("", threads.router)
api.add_router("", comments.router)

_patterns, _app_name, app_name = api.urls
urlpatterns = cors_wrap(list(_patterns))

__all__ = ["api", "app_name", "urlpatterns"]
