"""What every paged listing (a thread, the staff queue) tells its pager."""

from __future__ import annotations


class PageNavigation:
    """Previous/next flags for a page object that has `number` and `num_pages`."""

    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        """Whether an earlier page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return self.number < self.num_pages
