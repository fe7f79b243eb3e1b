"""The discussion section of a page: the reader's page of comments, the form, the links.

What a page that embeds a discussion hands its templates (newsroom's article page, the
discussion's own thread page), built for one reader from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from broadsheet.core.page_cache import mark_personal
from broadsheet.discussion import fragment_cache
from broadsheet.discussion.comment_html import comment_list
from broadsheet.discussion.forms import CommentForm, id_or_none
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.selectors import (
    SORT_LABELS,
    ThreadPage,
    Viewer,
    comment_is_visible,
    page_number_clean,
    sort_clean,
    thread_page,
)
from broadsheet.discussion.sessions import viewer_for

BOUND_FORMS_ATTR = "_discussion_bound_forms"
# Query flag on the redirect after a guest ticked "Notify me": a confirmation email is on its way.
SUBSCRIPTION_PENDING_PARAM = "confirm"


def bound_form_attach(request: HttpRequest, thread: Thread, form: CommentForm) -> None:
    """Hand a rejected form to the page that re-renders it, so nothing typed is lost."""
    mark_personal(request)  # the page shows this reader's text: never a shared copy
    forms = getattr(request, BOUND_FORMS_ATTR, {})
    forms[thread.pk] = form
    setattr(request, BOUND_FORMS_ATTR, forms)


def responses_heading(count: int, title: str) -> str:
    """Return the heading over the comments: 'N responses to “Title”'."""
    if count == 0:
        return "No responses yet"
    words = "One response" if count == 1 else f"{count:,} responses"
    return f"{words} to “{title}”" if title else words


@dataclass
class SortLink:
    """A link that reorders the comments."""

    key: str
    label: str
    url: str
    current: bool


@dataclass
class DiscussionSection:
    """Everything the discussion templates need for one thread on one page."""

    thread: Thread
    form: CommentForm
    heading: str
    is_open: bool
    reply_to: Comment | None
    sort_links: list[SortLink]
    held_comment_id: int | None
    viewer: Viewer
    sort: str
    number: int
    subscription_pending: bool = False

    @cached_property
    def page(self) -> ThreadPage:
        """The page of comments; read only when the rendered comments are not cached."""
        return thread_page(thread=self.thread, viewer=self.viewer, sort=self.sort, page=self.number)

    @cached_property
    def comments_base(self) -> str:
        """The start of every comment's own URLs ("/comments/"), resolved once per page."""
        marker = 999_999_999
        url = reverse("discussion:permalink", kwargs={"comment_id": marker})
        return url.split(str(marker), 1)[0]

    @property
    def cache_key(self) -> str | None:
        """Where anonymous readers' rendered comments are kept; None when this reader differs."""
        viewer = self.viewer
        if viewer.user_id is not None or viewer.own_ids or viewer.is_moderator:
            return None  # their own comments, edit links or held replies show only to them
        return fragment_cache.thread_html_key(
            thread=self.thread, sort=self.sort, number=self.number, is_open=self.is_open
        )

    @property
    def thread_html(self) -> SafeString:
        """The featured comments, the comment tree and the pager, rendered (no form, no token)."""
        return fragment_cache.thread_html(
            self.cache_key,
            lambda: render_to_string("discussion/_thread_body.html", {"discussion": self}),
        )

    @property
    def comment_list_html(self) -> SafeString:
        """This page's comment tree (discussion/comment_html.py), without the featured ones."""
        return comment_list(self.page.nodes, self)

    def page_url(self, number: int) -> str:
        """The query string that shows another page in the same order."""
        return _query(sort=self.sort, page=number)

    @property
    def pages(self) -> list[tuple[int, str, bool]]:
        """Every page as (number, url, is_current), for the pager."""
        return [(n, self.page_url(n), n == self.number) for n in self.page.page_numbers]

    @property
    def reply_base(self) -> str:
        """The start of a no-script reply link that keeps the current page and order."""
        query = self.page_url(self.number)
        return query if query == "?" else f"{query}&"

    @property
    def cancel_reply_url(self) -> str:
        """Where 'Cancel reply' leads without script: this page, no reply target."""
        query = self.page_url(self.number)
        return "?" if query == "?" else query

    @property
    def previous_url(self) -> str:
        """The query string of the previous page."""
        return self.page_url(self.number - 1)

    @property
    def next_url(self) -> str:
        """The query string of the next page."""
        return self.page_url(self.number + 1)


def _query(*, sort: str, page: int = 1) -> str:
    params: dict[str, str | int] = {}
    if sort != "oldest":
        params["sort"] = sort
    if page > 1:
        params["page"] = page
    return f"?{urlencode(params)}" if params else "?"


def discussion_section(request: HttpRequest, *, thread: Thread) -> DiscussionSection:
    """Build the discussion section for a thread as this reader sees it."""
    viewer = viewer_for(request)
    sort = sort_clean(request.GET.get("sort"))
    number, _pages = page_number_clean(
        thread=thread,
        viewer=viewer,
        page=request.GET.get("page"),
        per_page=settings.COMMENTS_PER_PAGE,
    )
    form = getattr(request, BOUND_FORMS_ATTR, {}).get(thread.pk)
    reply_to = None
    if form is None:
        reply_to = _reply_target(request.GET.get("replytocom"), thread=thread, viewer=viewer)
        form = CommentForm(
            user=request.user,
            initial={
                "thread": thread.pk,
                "parent": reply_to.pk if reply_to else "",
                "sort": sort,
            },
        )
    else:
        reply_to = _reply_target(form.data.get("parent"), thread=thread, viewer=viewer)
        _mark_invalid(form)
    return DiscussionSection(
        thread=thread,
        sort=sort,
        number=number,
        form=form,
        heading=responses_heading(thread.comment_count, thread.title),
        is_open=thread.is_open,
        reply_to=reply_to,
        sort_links=[
            SortLink(key=key, label=label, url=_query(sort=key), current=key == sort)
            for key, label in SORT_LABELS.items()
        ],
        held_comment_id=id_or_none(request.GET.get("held")),
        viewer=viewer,
        subscription_pending=request.GET.get(SUBSCRIPTION_PENDING_PARAM) == "1",
    )


def _reply_target(raw: str | None, *, thread: Thread, viewer: Viewer) -> Comment | None:
    pk = id_or_none(raw)
    if pk is None:
        return None
    comment = Comment.objects.filter(pk=pk, thread=thread).select_related("user").first()
    if comment is None or not comment_is_visible(comment=comment, viewer=viewer):
        return None
    return comment


def _mark_invalid(form: CommentForm) -> None:
    """Tie each error to its field for assistive technology."""
    for name, errors in form.errors.items():
        if errors and name in form.fields:
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"error-{form.add_prefix(name)}"}
            )
