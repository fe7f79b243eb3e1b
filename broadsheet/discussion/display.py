"""What a page that embeds a discussion needs: the reader, the page of comments, the form."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest

from broadsheet.discussion.forms import CommentForm
from broadsheet.discussion.models import Comment, Thread
from broadsheet.discussion.security import comment_token_valid
from broadsheet.discussion.selectors import (
    SORT_LABELS,
    ThreadPage,
    Viewer,
    comment_is_visible,
    sort_clean,
    thread_page,
)

SESSION_TOKENS = "discussion_tokens"
# A browser remembers its most recent comments only; older ones are past their edit window.
SESSION_TOKENS_KEPT = 50
BOUND_FORMS_ATTR = "_discussion_bound_forms"


def viewer_for(request: HttpRequest) -> Viewer:
    """Describe the reader: their account and the comments this browser may edit."""
    user = getattr(request, "user", None)
    tokens = request.session.get(SESSION_TOKENS, {}) if hasattr(request, "session") else {}
    own = frozenset(int(pk) for pk, token in tokens.items() if comment_token_valid(int(pk), token))
    if user is None or not user.is_authenticated:
        return Viewer(own_ids=own)
    return Viewer(
        user_id=user.pk,
        own_ids=own,
        is_moderator=user.has_perm("discussion.moderate_comments"),
    )


def token_from_session(request: HttpRequest, comment_id: int) -> str | None:
    """Return the edit/delete token this browser holds for a comment."""
    return request.session.get(SESSION_TOKENS, {}).get(str(comment_id))


def comment_remember(request: HttpRequest, comment: Comment, token: str) -> None:
    """Keep the author's token in their session so they can see, edit and delete the comment."""
    tokens = dict(request.session.get(SESSION_TOKENS, {}))
    tokens[str(comment.pk)] = token
    if len(tokens) > SESSION_TOKENS_KEPT:
        for key in sorted(tokens, key=int)[: len(tokens) - SESSION_TOKENS_KEPT]:
            del tokens[key]
    request.session[SESSION_TOKENS] = tokens


def bound_form_attach(request: HttpRequest, thread: Thread, form: CommentForm) -> None:
    """Hand a rejected form to the page that re-renders it, so nothing typed is lost."""
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
    page: ThreadPage
    form: CommentForm
    heading: str
    is_open: bool
    reply_to: Comment | None
    sort_links: list[SortLink]
    held_comment_id: int | None
    viewer: Viewer

    def page_url(self, number: int) -> str:
        """The query string that shows another page in the same order."""
        return _query(sort=self.page.sort, page=number)

    @property
    def pages(self) -> list[tuple[int, str, bool]]:
        """Every page as (number, url, is_current), for the pager."""
        return [(n, self.page_url(n), n == self.page.number) for n in self.page.page_numbers]

    @property
    def reply_base(self) -> str:
        """The start of a no-script reply link that keeps the current page and order."""
        query = self.page_url(self.page.number)
        return query if query == "?" else f"{query}&"

    @property
    def cancel_reply_url(self) -> str:
        """Where 'Cancel reply' leads without script: this page, no reply target."""
        query = self.page_url(self.page.number)
        return "?" if query == "?" else query

    @property
    def previous_url(self) -> str:
        """The query string of the previous page."""
        return self.page_url(self.page.number - 1)

    @property
    def next_url(self) -> str:
        """The query string of the next page."""
        return self.page_url(self.page.number + 1)


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
    page = thread_page(thread=thread, viewer=viewer, sort=sort, page=request.GET.get("page"))
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
    held = request.GET.get("held")
    return DiscussionSection(
        thread=thread,
        page=page,
        form=form,
        heading=responses_heading(thread.comment_count, thread.title),
        is_open=thread.is_open,
        reply_to=reply_to,
        sort_links=[
            SortLink(key=key, label=label, url=_query(sort=key), current=key == sort)
            for key, label in SORT_LABELS.items()
        ],
        held_comment_id=int(held) if held and held.isdigit() else None,
        viewer=viewer,
    )


def _reply_target(raw: str | None, *, thread: Thread, viewer: Viewer) -> Comment | None:
    if not raw or not str(raw).isdigit():
        return None
    comment = Comment.objects.filter(pk=int(raw), thread=thread).select_related("user").first()
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
