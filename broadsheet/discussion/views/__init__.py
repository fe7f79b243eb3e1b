"""HTTP for the discussion, one module per family; urls.py names each view by its module.

threads.py        a thread's own page, permalinks, avatars, and re-showing a page with a form
comments.py       post, edit, delete
queue.py          readers' reports and the staff moderation queue
subscriptions.py  confirming and cancelling reply notifications
"""
