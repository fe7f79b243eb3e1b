"""HTTP for readers' reports and the staff moderation queue (the decisions live in services)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.accounts.models import User
from broadsheet.core.network import client_ip, ip_hash
from broadsheet.discussion import services
from broadsheet.discussion.models import Comment, CommentFlag
from broadsheet.discussion.permissions import ModeratorRequired, moderator_require
from broadsheet.discussion.security import keyed_hash
from broadsheet.discussion.selectors import (
    QUEUE_TABS,
    QueueSearch,
    moderation_queue,
    queue_tab_clean,
)
from broadsheet.discussion.selectors.queue import QUEUE_SORTS, queue_category_clean
from broadsheet.discussion.views.threads import thread_page_url

ACTION_LABELS = {
    "approve": "Approved",
    "reject": "Rejected",
    "spam": "Marked as spam",
    "feature": "Featured",
    "unfeature": "No longer featured",
    "ban": "Banned the author of",
}


def reporter_key_for(request: HttpRequest) -> str:
    """Name the reader who reports: their account, else a keyed hash of their browser session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{keyed_hash('reporter', request.session.session_key or '')}"


# Readers' reports ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Ask why a reader reports a comment, then record the report (works without script)."""
    comment = get_object_or_404(Comment.objects.select_related("thread", "user"), pk=comment_id)
    context = {
        "comment": comment,
        "reasons": CommentFlag.Reason.choices,
        "chosen": request.POST.get("reason", ""),
        "note": request.POST.get("note", ""),
        "back": f"{thread_page_url(request, comment.thread)}#{comment.anchor}",
        "errors": {},
        "done": False,
        "again": False,
    }
    if comment.status != Comment.Status.APPROVED or not comment.thread.is_visible:
        # Held, refused or deleted, or its article taken down: nothing public left to report.
        context["gone"] = True
        return render(request, "discussion/report.html", context, status=404)
    if request.method == "POST":
        try:
            _flag, created = services.comment_report(
                comment=comment,
                reporter_key=reporter_key_for(request),
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
                user=request.user if request.user.is_authenticated else None,
                ip_hash=ip_hash(client_ip(request)),
            )
        except ValidationError as exc:
            context["errors"] = exc.message_dict
            return render(request, "discussion/report.html", context, status=400)
        context.update(done=True, again=not created)
    return render(request, "discussion/report.html", context)


# The staff queue -----------------------------------------------------------------------------


def _moderator(request: HttpRequest) -> User:
    """The signed-in moderator; anyone else is refused (ModeratorRequired, a 403)."""
    user = request.user
    moderator_require(user)
    if not isinstance(user, User):
        raise ModeratorRequired()
    return user


@never_cache
@require_http_methods(["GET", "HEAD"])
def queue_view(request: HttpRequest) -> HttpResponse:
    """The moderation queue: one tab of comments, each with its context, history and reasons."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _moderator(request)
    search = QueueSearch.from_params(request.GET)
    page = moderation_queue(
        tab=request.GET.get("tab"),
        page=request.GET.get("page"),
        search=search,
        category=request.GET.get("category"),
        sort=request.GET.get("sort"),
    )
    # Category chips keep the search and the sort; tabs and pages keep the category too.
    chip_params = {k: v for k, v in page.params.items() if k != "category"}
    context = {
        "queue": page,
        "durations": services.BAN_DURATION_LABELS.items(),
        "tab_label": QUEUE_TABS[page.tab],
        "search": search,
        # Tabs and pages keep the search: "&q=…&author=…" after their own parameters.
        "search_params": f"&{urlencode(page.params)}" if page.params else "",
        "chip_params": f"&{urlencode(chip_params)}" if chip_params else "",
        "filter_params": {k: v for k, v in page.params.items() if k not in search.params},
    }
    return render(request, "discussion/queue/queue.html", context)


def _queue_url(
    tab: str,
    page: str,
    search: QueueSearch | None = None,
    category: str = "",
    sort: str = "",
) -> str:
    tab = queue_tab_clean(tab)
    params = {"tab": tab}
    if services.pk_parse(page) is not None and int(page) > 1:
        params["page"] = page
    if search is not None:
        params.update(search.params)
    if queue_category_clean(category):
        params["category"] = category
    if sort in QUEUE_SORTS:
        params["sort"] = sort
    return f"{reverse('discussion:queue')}?{urlencode(params)}"


@never_cache
@require_POST
def queue_action_view(request: HttpRequest) -> HttpResponse:
    """Apply a moderator's action to one comment or to the selected ones, then go back."""
    user = _moderator(request)
    back = _queue_url(
        request.POST.get("tab", ""),
        request.POST.get("page", ""),
        QueueSearch.from_params(request.POST),
        request.POST.get("category", ""),
        request.POST.get("sort", ""),
    )
    try:
        message = _apply(request, user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return HttpResponseRedirect(back, status=303)


def _apply(request: HttpRequest, user: User) -> str:
    """Call the one service the moderator's button names; return what to tell them."""
    post = request.POST
    if "bulk" in post:
        action = post["bulk"]
        # pk_parse, not isdigit(): "²" is a digit to Python and an error to int().
        ids = [pk for pk in map(services.pk_parse, post.getlist("ids")) if pk is not None]
        done = services.comments_moderate(
            comment_ids=ids, action=action, actor=user, note=post.get("note", "")
        )
        count = len(done)
        return f"{ACTION_LABELS.get(action, action)}: {count} comment{'s' if count != 1 else ''}."
    action, _, raw_id = post.get("act", "").partition(":")
    pk = services.pk_parse(raw_id)
    if pk is None or action not in ACTION_LABELS:
        raise ValidationError("Choose an action for a comment.")
    comment = Comment.objects.filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    note = post.get(f"note-{comment.pk}", "")
    if action in services.MODERATION_ACTIONS:
        services.comment_moderate(comment=comment, action=action, actor=user, note=note)
    elif action in ("feature", "unfeature"):
        services.comment_feature(
            comment=comment, actor=user, featured=action == "feature", note=note
        )
    else:
        ban = services.comment_author_ban(
            comment=comment,
            actor=user,
            duration=post.get(f"ban-duration-{comment.pk}", ""),
            targets=post.getlist(f"ban-target-{comment.pk}"),
            note=note,
        )
        until = f"until {ban.expires_at:%d %b %Y %H:%M} UTC" if ban.expires_at else "permanently"
        return f"Banned the author of comment {comment.pk} {until}."
    return f"{ACTION_LABELS[action]} comment {comment.pk}."
