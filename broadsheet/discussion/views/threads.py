"""HTTP for reading: a thread on its own page, permalinks, avatars, and where a thread is read."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from broadsheet.discussion import pages
from broadsheet.discussion.avatars import identicon_svg
from broadsheet.discussion.forms import CommentForm
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.permissions import can_moderate
from broadsheet.discussion.section import (
    SUBSCRIPTION_PENDING_PARAM,
    bound_form_attach,
    discussion_section,
)
from broadsheet.discussion.selectors import comment_is_visible, comment_page_number, sort_clean
from broadsheet.discussion.sessions import viewer_for

AVATAR_CACHE = "public, max-age=31536000, immutable"


def threads_visible():
    """Threads readers may see: one whose article is not live answers 404."""
    return Thread.objects.visible()


def thread_page_url(request: HttpRequest, thread: Thread) -> str:
    """Where the thread is read: its page on this site, an allowed embedding page, or ours."""
    return pages.thread_page_url(thread, request_origin=pages.request_origin_of(request))


def comment_url(
    request: HttpRequest,
    comment: Comment,
    *,
    sort: str = "oldest",
    held: bool = False,
    confirm: bool = False,
) -> str:
    """The address of the page of its thread that shows the comment, at the comment."""
    viewer = viewer_for(request)
    number = comment_page_number(comment=comment, viewer=viewer, sort=sort)
    params: dict[str, str | int] = {}
    if sort != "oldest":
        params["sort"] = sort
    if number > 1:
        params["page"] = number
    if held:
        params["held"] = comment.pk
    if confirm:
        params[SUBSCRIPTION_PENDING_PARAM] = 1
    query = f"?{urlencode(params)}" if params else ""
    return f"{thread_page_url(request, comment.thread)}{query}#{comment.anchor}"


def thread_response(request: HttpRequest, thread: Thread, status: int = 200) -> HttpResponse:
    """The thread on the discussion's own page (for pages not on this site, or a bad post)."""
    section = discussion_section(request, thread=thread)
    response = render(
        request, "discussion/thread_page.html", {"discussion": section}, status=status
    )
    if status != 200:
        response["Cache-Control"] = "private, no-store"
    return response


def page_with_form(request: HttpRequest, thread: Thread, form: CommentForm) -> HttpResponse:
    """Show the page the reader came from again, the form bound to what they typed."""
    bound_form_attach(request, thread, form)
    page_url = thread_page_url(request, thread)
    match = None
    if page_url.startswith("/"):
        try:
            match = resolve(page_url)
        except Resolver404:
            match = None
    if match is not None and match.namespace != "discussion":
        # The embedding page renders as a reader's GET would, picking up the bound form.
        request.method = "GET"
        query = QueryDict(mutable=True)
        if form.data.get("sort"):
            query["sort"] = sort_clean(form.data.get("sort"))
        request.GET = query  # type: ignore[assignment]  # a reader's GET of that page
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200:
            response.status_code = 400
            response["Cache-Control"] = "private, no-store"
            return response
    return thread_response(request, thread, status=400)


@never_cache
@require_http_methods(["GET", "HEAD"])
def thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A thread on its own page, for discussions whose page is not on this site."""
    return thread_response(request, get_object_or_404(threads_visible(), pk=thread_id))


@require_safe
def permalink_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Send a comment's permalink to the page of its thread that shows it."""
    comment = get_object_or_404(Comment.objects.select_related("thread", "root"), pk=comment_id)
    if not comment_is_visible(comment=comment, viewer=viewer_for(request)):
        raise Http404("No such comment.")
    # A hidden thread (its article not live) answers as if it did not exist, but to moderators.
    if not comment.thread.is_visible and not can_moderate(request.user):
        raise Http404("No such comment.")
    return HttpResponseRedirect(
        comment_url(request, comment, sort=sort_clean(request.GET.get("sort")))
    )


@require_safe
def avatar_view(request: HttpRequest, digest: str) -> HttpResponse:
    """Serve a commenter's identicon; the URL is a hash, so the image never changes."""
    response = HttpResponse(identicon_svg(digest), content_type="image/svg+xml")
    response["Cache-Control"] = AVATAR_CACHE
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
