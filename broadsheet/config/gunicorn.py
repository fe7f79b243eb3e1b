"""gunicorn's settings for Broadsheet (`--config python:broadsheet.config.gunicorn`).

The application and the referee's models load once, in the master, before the workers fork:
the workers share those pages (copy-on-write), so two workers cost little more than one, and
no worker pays the models' load time on its first comment.
"""

import gc
import os

preload_app = True


def when_ready(server) -> None:
    """In the master, after the app loaded and before any worker forks: load the models.

    PRELOAD_MODELS=false leaves them to each worker's first comment: about a second less to
    the first page (bench/peers.py measures both), at the price of a copy per worker.
    """
    if os.environ.get("PRELOAD_MODELS", "true").lower() not in ("0", "false", "no", "off"):
        from broadsheet.moderation.preload import preload

        preload()
    # The URLconf (every view module) and the pages' templates, compiled once and shared,
    # where each worker built its own on its first request.
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing every view is the point
    for name in ("newsroom/article.html", "newsroom/front.html"):
        get_template(name)
    # Everything loaded so far lives as long as the workers: out of the collector's sight, its
    # pages stay shared, where each collection in a worker wrote to every object it visited
    # and so copied the page it sat on.
    gc.collect()
    gc.freeze()
