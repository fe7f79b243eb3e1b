"""Broadsheet's posting on PostgreSQL, for bench/peers.py: run as `python -m bench.peers_postgres`.

A process of its own, since Django's database is fixed at setup: it creates the database
BENCH_PG_DATABASE (by default bench_peers) on the server of BENCH_PG_URL, migrates it, builds
the same 1,000-comment thread as the SQLite run, serves it as `make run` would with
DATABASE_URL set (gunicorn and the task worker), posts with the same 8 wrk connections, counts
the stored rows, drops the database and prints the figures as JSON on its last line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_PG_DATABASE", "bench_peers")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def measure() -> dict:
    """Post into a 1,000-comment thread on PostgreSQL; accepted/s and stored rows."""
    base = SERVER.rsplit("/", 1)[0]
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    _admin(f'CREATE DATABASE "{DATABASE}"')
    try:
        from bench.peers import LIFTED

        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        env.update(LIFTED)
        env.update(
            {
                "DATABASE_URL": f"{base}/{DATABASE}",
                "DATA_DIR": tempfile.mkdtemp(prefix="broadsheet-bench-pg-"),
                "DEBUG": "false",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": "http://127.0.0.1:8000",
                "LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
                "TASKS_BACKEND": "database",
            }
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from bench import common, peers

        common._site = common.Site(data_dir=common.Path(env["DATA_DIR"]), env=env)
        built = common.thread_build(1000)
        key = built["api"].split("key=", 1)[1]
        peers.tasks_drain(env)
        server, worker = peers.broadsheet_stack(env, common.free_port(), built["article"])
        with server:
            posting = peers.post_broadsheet(server.port, key)
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        posting["stored"] = peers.stored_comments(key)
        from django.db import connections

        connections.close_all()
        return posting
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    print(json.dumps(measure()))
    sys.exit(0)
