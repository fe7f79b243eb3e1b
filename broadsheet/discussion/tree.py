"""The comment tree's materialized paths: segments, ancestors, and the depth limit."""

from __future__ import annotations

from typing import Protocol, TypeVar

from django.conf import settings

# Width of one path segment: a per-thread sequence number, zero-padded so text order is tree order.
PATH_SEGMENT_WIDTH = 10


class Node(Protocol):
    """Anything placed in the tree: a stored comment, or one being built for a bulk insert."""

    depth: int

    @property
    def parent(self) -> Node | None: ...


N = TypeVar("N", bound=Node)


def child_path(parent_path: str, seq: int) -> str:
    """The path of the comment numbered seq in its thread, under a parent's path ("" for none)."""
    return f"{parent_path}{seq:0{PATH_SEGMENT_WIDTH}d}"


def ancestor_paths(path: str) -> list[str]:
    """Every proper ancestor's path, top-level first."""
    width = PATH_SEGMENT_WIDTH
    return [path[:end] for end in range(width, len(path), width)]


def max_depth() -> int:
    """How many levels a thread shows: COMMENT_MAX_DEPTH, at least one."""
    return max(1, settings.COMMENT_MAX_DEPTH)


def reply_parent(parent: N | None) -> N | None:
    """The comment a reply attaches to: below the deepest level, beside its parent instead."""
    deepest = max_depth() - 1
    while parent is not None and parent.depth >= deepest:
        parent = parent.parent  # type: ignore[assignment]
    return parent
