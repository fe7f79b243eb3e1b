"""HTTP for writing comments: the Leave a Reply form, and the author's edit and delete pages."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from broadsheet.core.network import client_ip
from broadsheet.discussion import permissions, services
from broadsheet.discussion.forms import HONEYPOT_FIELD, CommentForm, EditForm, id_or_none
from broadsheet.discussion.models import Comment
from broadsheet.discussion.security import comment_token, form_timestamp_sign
from broadsheet.discussion.selectors import sort_clean
from broadsheet.discussion.sessions import comment_remember, token_from_session
from broadsheet.discussion.views.threads import (
    comment_url,
    page_with_form,
    thread_page_url,
    threads_visible,
)

REFUSED = "Sorry, this comment cannot be published."


@require_POST
def comment_post_view(request: HttpRequest) -> HttpResponse:
    """Receive the Leave a Reply form; redirect to the comment or show the form's errors."""
    form = CommentForm(request.POST, user=request.user)
    thread_id = id_or_none(request.POST.get("thread", ""))
    if thread_id is None:
        return HttpResponseBadRequest("This form does not name a discussion.")
    thread = get_object_or_404(threads_visible(), pk=thread_id)
    if not form.is_valid():
        return page_with_form(request, thread, form)
    data = form.cleaned_data
    try:
        posted = services.comment_post(
            thread=thread,
            body=data["body"],
            parent=data["parent"] or None,
            user=request.user if request.user.is_authenticated else None,
            author_name=data.get("author_name", ""),
            author_email=data.get("author_email", ""),
            author_url=data["author_url"],
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            notify=data["notify"],
            honeypot=data[HONEYPOT_FIELD],
            form_age_seconds=form.form_age_seconds(),
            # A missing or forged stamp is a bot's form; the referee refuses it like a too-fast one.
            form_token_valid=form.form_token_valid(),
        )
    except ValidationError as exc:
        form.service_errors(exc.message_dict)
        return page_with_form(request, thread, form)
    comment = posted.comment
    if comment is None or posted.refused:
        # Refused (too fast, a bot trap, the referee's no): the form again, the text kept.
        form.add_error(None, posted.reader_message or REFUSED)
        return page_with_form(request, thread, form)
    # A double submit returns the stored comment: whoever sent the same text again (same email,
    # same words) must not get its edit and delete rights.
    if posted.created:
        comment_remember(request, comment, comment_token(comment.pk))
    return HttpResponseRedirect(
        comment_url(
            request,
            comment,
            sort=sort_clean(data.get("sort")),
            held=comment.status == Comment.Status.PENDING,
            # Only a newly written comment sent a confirmation email; a double submit none.
            confirm=posted.subscription_pending,
        )
    )


def _own_comment(request: HttpRequest, comment_id: int) -> tuple[Comment, str | None]:
    """The comment this reader may change, and the token that proves it (403 for others)."""
    token = request.POST.get("token") or request.GET.get("token")
    token = token or token_from_session(request, comment_id)
    try:
        comment = permissions.comment_access(
            comment_id=comment_id, user=request.user, token=token, change=True
        )
    except Comment.DoesNotExist:
        # Missing, or in a hidden thread (its article not live) for anyone but moderators.
        raise Http404("No such comment.") from None
    return comment, token


def _author(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


@never_cache
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Let the author change their comment within the edit window."""
    comment, token = _own_comment(request, comment_id)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.comment_edit(
                    comment=comment,
                    body=form.cleaned_data["body"],
                    token=token,
                    user=_author(request),
                )
            except ValidationError as exc:
                for message in exc.message_dict.get("body", []):
                    form.add_error("body", message)
            else:
                return HttpResponseRedirect(comment_url(request, comment))
        status = 400
    else:
        form = EditForm(initial={"body": comment.body})
        status = 200
    context = {
        "comment": comment,
        "form": form,
        "token": token,
        "deadline": services.comment_edit_deadline(comment),
    }
    return render(request, "discussion/comment_edit.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def comment_delete_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Ask the author to confirm, then delete (a comment with replies becomes a tombstone)."""
    comment, token = _own_comment(request, comment_id)
    if request.method == "POST":
        services.comment_delete(comment=comment, token=token, user=_author(request))
        return HttpResponseRedirect(f"{thread_page_url(request, comment.thread)}#comments")
    return render(request, "discussion/comment_delete.html", {"comment": comment, "token": token})


# Shown above the form when a post came without its security token (scripts off, a shared
# page): the text is all there, the second press carries a token.
CONFIRM_POST = (
    "One more step: press “Post Comment” again to publish. Your comment is below, as you "
    "wrote it (this page's security check needs a second press when scripts are off)."
)


@never_cache
@require_safe
def form_token_view(request: HttpRequest) -> JsonResponse:
    """What a shared page's comment form lacks: this browser's CSRF token and a fresh stamp."""
    thread_id = id_or_none(request.GET.get("thread", ""))
    if thread_id is None or not threads_visible().filter(pk=thread_id).exists():
        return JsonResponse({"error": "No such discussion."}, status=404)
    response = JsonResponse(
        {
            "csrfmiddlewaretoken": get_token(request),
            "rendered_at": form_timestamp_sign(time.time(), thread_id=thread_id),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def comment_post_confirm(request: HttpRequest) -> HttpResponse | None:
    """The comment form sent back to press again, after a post without its CSRF token.

    None when the request was not a comment post (the caller answers as Django would).
    """
    thread_id = id_or_none(request.POST.get("thread", ""))
    if request.method != "POST" or thread_id is None:
        return None
    thread = threads_visible().filter(pk=thread_id).first()
    if thread is None:
        return None
    form = CommentForm(request.POST, user=request.user)
    form.is_valid()
    form.add_error(None, CONFIRM_POST)
    get_token(request)  # the page's form carries it, and the cookie goes with the answer
    response = page_with_form(request, thread, form)
    response.status_code = 403
    return response
