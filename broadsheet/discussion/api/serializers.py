"""Shaping answers: comments and thread pages as JSON-ready dicts, never a private field."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja.renderers import JSONRenderer

from broadsheet.discussion import services
from broadsheet.discussion.avatars import AVATAR_HASH_LENGTH, avatar_hash
from broadsheet.discussion.models import Comment
from broadsheet.discussion.pages import EmptyThread, request_origin_of
from broadsheet.discussion.selectors import CommentNode, ThreadPage

# The NinjaAPI renders with this renderer too, so every answer is encoded the same way.
RENDERER = JSONRenderer()


def json_response(request: HttpRequest, data: Any, *, status: int) -> HttpResponse:
    """Answer with data as JSON, as the NinjaAPI's own responses are rendered."""
    content = RENDERER.render(request, data, response_status=status)
    return HttpResponse(
        content, status=status, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}"
    )


class Shaper:
    """Turn comments into JSON-ready dicts with absolute links, never private fields."""

    def __init__(self, request: HttpRequest) -> None:
        self.base = request_origin_of(request)
        # reverse() per comment was a quarter of a big page's time: resolve each route once.
        marker = "999999999"
        self.permalink = reverse("discussion:permalink", kwargs={"comment_id": int(marker)})
        self.permalink = self.base + self.permalink.replace(marker, "{}")
        self.avatar = None
        if not settings.GRAVATAR:
            digest = "0" * AVATAR_HASH_LENGTH
            self.avatar = self.base + reverse("discussion:avatar", kwargs={"digest": digest})
            self.avatar = self.avatar.replace(digest, "{}")

    def absolute(self, path: str) -> str:
        return f"{self.base}{path}" if path.startswith("/") else path

    def avatar_url(self, comment: Comment) -> str:
        if self.avatar is None:
            return self.absolute(comment.avatar_url)
        return self.avatar.format(
            avatar_hash(email=comment.author_email, name=comment.display_name)
        )

    def comment(
        self,
        comment: Comment,
        replies: list[dict] | None = None,
        *,
        hidden: bool = False,
        avatar: str = "",
    ) -> dict[str, Any]:
        # A held or removed comment kept for its replies shows as a placeholder, text withheld.
        deleted = hidden or comment.status == Comment.Status.DELETED
        status = comment.status
        if hidden and status != Comment.Status.PENDING:
            status = Comment.Status.DELETED
        return {
            "id": comment.pk,
            "parent_id": comment.parent_id,
            "depth": comment.depth,
            "status": status,
            "author": None
            if deleted
            else {
                "name": comment.display_name,
                "url": comment.author_url or None,
                "avatar_url": self.absolute(avatar) if avatar else self.avatar_url(comment),
            },
            "body_html": "" if deleted else comment.body_html,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "permalink": self.permalink.format(comment.pk),
            "is_featured": bool(getattr(comment, "is_featured", False)) and not deleted,
            "is_staff": not deleted and comment.is_staff_comment,
            "replies": replies or [],
        }

    def node(self, node: CommentNode) -> dict[str, Any]:
        replies = [self.node(child) for child in node.children]
        # The tree already resolved each avatar once; hashing it again was a tenth of the time.
        return self.comment(
            node.comment, replies, hidden=bool(node.placeholder), avatar=node.avatar_url
        )

    def own(self, comment: Comment) -> dict[str, Any]:
        return {
            **self.comment(comment),
            "body": comment.body,
            "edit_until": services.comment_edit_deadline(comment),
        }


def thread_page_dict(request: HttpRequest, page: ThreadPage | EmptyThread, sort: str) -> dict:
    """Shape one page of a thread exactly as ThreadPageOut (the schema tests hold it to that)."""
    if isinstance(page, EmptyThread):
        return {
            "thread": {
                "key": page.key,
                "url": page.url,
                "title": page.title,
                "is_open": page.is_open,
                "comment_count": 0,
            },
            "exists": False,
            "sort": sort,
            "page": 1,
            "num_pages": 1,
            "per_page": settings.COMMENTS_PER_PAGE,
            "top_level_count": 0,
            "comments": [],
            "featured": [],
        }
    shaper = Shaper(request)
    thread = page.thread
    return {
        "thread": {
            "key": thread.key,
            "url": thread.url,
            "title": thread.title,
            "is_open": thread.is_open,
            "comment_count": thread.comment_count,
        },
        "exists": True,
        "sort": page.sort,
        "page": page.number,
        "num_pages": page.num_pages,
        "per_page": page.per_page,
        "top_level_count": page.top_level_count,
        "comments": [shaper.node(node) for node in page.nodes],
        "featured": [shaper.comment(comment) for comment in getattr(page, "featured", [])],
    }
