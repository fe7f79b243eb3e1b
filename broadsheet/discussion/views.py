"""HTTP for the discussion: post, permalink, edit, delete, avatars, unsubscribe."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from broadsheet.core.network import client_ip
from broadsheet.discussion import services
from broadsheet.discussion.avatars import identicon_svg
from broadsheet.discussion.display import (
    SUBSCRIPTION_PENDING_PARAM,
    bound_form_attach,
    comment_remember,
    discussion_section,
    token_from_session,
    viewer_for,
)
from broadsheet.discussion.forms import HONEYPOT_FIELD, CommentForm, EditForm, id_or_none
from broadsheet.discussion.models import Comment, Subscription, Thread
from broadsheet.discussion.security import (
    comment_token,
    unsubscribe_token_subscription_id,
)
from broadsheet.discussion.selectors import comment_is_visible, comment_page_number, sort_clean

AVATAR_CACHE = "public, max-age=31536000, immutable"


def _thread_page_url(request: HttpRequest, thread: Thread) -> str:
    """Where the thread is read: its page on this site, an allowed embedding page, or ours."""
    url = thread.url
    hosts = {request.get_host()}
    hosts.update(urlsplit(origin).netloc for origin in settings.COMMENT_EMBED_ORIGINS)
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts):
        return url.split("#", 1)[0].split("?", 1)[0]
    return reverse("discussion:thread", kwargs={"thread_id": thread.pk})


def _comment_url(
    request: HttpRequest,
    comment: Comment,
    *,
    sort: str = "oldest",
    held: bool = False,
    confirm: bool = False,
) -> str:
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
    return f"{_thread_page_url(request, comment.thread)}{query}#{comment.anchor}"


def _render_page_with_form(request: HttpRequest, thread: Thread, form: CommentForm):
    """Show the page the reader came from again, the form bound to what they typed."""
    bound_form_attach(request, thread, form)
    page_url = _thread_page_url(request, thread)
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
    return _thread_response(request, thread, status=400)


@require_POST
def comment_post_view(request: HttpRequest) -> HttpResponse:
    """Receive the Leave a Reply form; redirect to the comment or show the form's errors."""
    form = CommentForm(request.POST, user=request.user)
    thread_id = id_or_none(request.POST.get("thread", ""))
    if thread_id is None:
        return HttpResponseBadRequest("This form does not name a discussion.")
    thread = get_object_or_404(_threads(), pk=thread_id)
    if not form.is_valid():
        return _render_page_with_form(request, thread, form)
    data = form.cleaned_data
    try:
        comment = services.comment_post(
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
        return _render_page_with_form(request, thread, form)
    if comment.status == Comment.Status.REJECTED:
        message = getattr(comment, "reader_message", "")
        form.add_error(None, message or "Sorry, this comment cannot be published.")
        return _render_page_with_form(request, thread, form)
    # A double submit returns the stored comment without reader_message: whoever sent the same
    # text again (same email, same words) must not get its edit and delete rights.
    if hasattr(comment, "reader_message"):
        comment_remember(request, comment, comment_token(comment.pk))
    held = comment.status == Comment.Status.PENDING
    # Only a newly written comment carries it: a double submit sent no second email.
    confirm = bool(getattr(comment, "subscription_pending", False))
    return HttpResponseRedirect(
        _comment_url(
            request, comment, sort=sort_clean(data.get("sort")), held=held, confirm=confirm
        )
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A thread on its own page, for discussions whose page is not on this site."""
    return _thread_response(request, get_object_or_404(_threads(), pk=thread_id))


def _threads():
    """Threads readers may see: one whose article is not live answers 404."""
    return Thread.objects.visible()


def _thread_response(request: HttpRequest, thread: Thread, status: int = 200) -> HttpResponse:
    section = discussion_section(request, thread=thread)
    response = render(
        request, "discussion/thread_page.html", {"discussion": section}, status=status
    )
    if status != 200:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def permalink_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Send a comment's permalink to the page of its thread that shows it."""
    comment = get_object_or_404(Comment.objects.select_related("thread", "root"), pk=comment_id)
    if not comment_is_visible(comment=comment, viewer=viewer_for(request)):
        raise Http404("No such comment.")
    _hidden_thread_404(request, comment.thread)
    return HttpResponseRedirect(
        _comment_url(request, comment, sort=sort_clean(request.GET.get("sort")))
    )


def _hidden_thread_404(request: HttpRequest, thread: Thread) -> None:
    """A hidden thread (its article not live) answers as if it did not exist, but to moderators."""
    if thread.is_visible:
        return
    user = request.user
    if not (user.is_authenticated and user.has_perm(services.MODERATE_PERMISSION)):
        raise Http404("No such comment.")


def _own_comment(request: HttpRequest, comment_id: int) -> tuple[Comment, str | None]:
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=comment_id)
    _hidden_thread_404(request, comment.thread)
    token = request.POST.get("token") or request.GET.get("token")
    token = token or token_from_session(request, comment.pk)
    user = request.user if request.user.is_authenticated else None
    if not services.comment_can_change(comment=comment, token=token, user=user):
        raise PermissionDenied("Only the comment's author may change it.")
    return comment, token


@never_cache
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Let the author change their comment within the edit window."""
    comment, token = _own_comment(request, comment_id)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.comment_edit(
                    comment=comment, body=form.cleaned_data["body"], token=token, user=user
                )
            except ValidationError as exc:
                for message in exc.message_dict.get("body", []):
                    form.add_error("body", message)
            else:
                return HttpResponseRedirect(_comment_url(request, comment))
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
        user = request.user if request.user.is_authenticated else None
        services.comment_delete(comment=comment, token=token, user=user)
        return HttpResponseRedirect(f"{_thread_page_url(request, comment.thread)}#comments")
    return render(request, "discussion/comment_delete.html", {"comment": comment, "token": token})


@require_safe
def avatar_view(request: HttpRequest, digest: str) -> HttpResponse:
    """Serve a commenter's identicon; the URL is a hash, so the image never changes."""
    response = HttpResponse(identicon_svg(digest), content_type="image/svg+xml")
    response["Cache-Control"] = AVATAR_CACHE
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# One-click unsubscribe (RFC 8058) posts without a CSRF token; the signed token is the proof.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST stops the emails for this subscription."""
    subscription_id = unsubscribe_token_subscription_id(token)
    subscription = None
    if subscription_id is not None:
        subscription = (
            Subscription.objects.select_related("thread").filter(pk=subscription_id).first()
        )
    if subscription is None:
        return render(request, "discussion/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.subscription_cancel(subscription=subscription)
        done = True
    context = {
        "subscription": subscription,
        "thread": subscription.thread,
        "token": token,
        "done": done or not subscription.is_active,
    }
    return render(request, "discussion/unsubscribe.html", context)
