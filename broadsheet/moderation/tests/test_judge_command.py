"""`broadsheet judge` reads comments from stdin and prints one JSON verdict per line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from broadsheet.moderation.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(stdin_text: str, monkeypatch, *args) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text))
    out = io.StringIO()
    call_command("judge", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_plain_lines_each_get_a_verdict(monkeypatch):
    results = run("Thanks for the report.\n\nYou are an idiooot!\n", monkeypatch)
    assert [r["line"] for r in results] == [1, 3]
    assert [r["decision"] for r in results] == ["allow", "hold"]
    assert results[1]["reasons"][0]["rule"] == "words"
    assert "toxic" in results[0]["scores"]


def test_json_lines_carry_name_email_and_url(monkeypatch):
    lines = [
        json.dumps(
            {
                "text": "A fair point about the budget.",
                "name": "Ann",
                "email": "ann@example.org",
                "url": "https://ann.example",
            }
        ),
        json.dumps({"text": "Nice one", "name": "Captain Idiot"}),
        '{"no_text": true}',
        "{not json, so plain text}",
    ]
    results = run("\n".join(lines) + "\n", monkeypatch)
    assert [r.get("decision") for r in results] == ["allow", "hold", None, "allow"]
    assert "text" in results[2]["error"]


def test_judging_stores_nothing_and_counts_no_rate_limit(monkeypatch, settings):
    settings.MODERATION_RATE_PER_IDENTITY = ["1/60"]
    line = json.dumps({"text": "Same again", "email": "repeat@example.org"})
    results = run((line + "\n") * 5, monkeypatch)
    assert {r["decision"] for r in results} == {"allow"}
    assert not AuditEntry.objects.exists()


def test_context_option_applies_policy(monkeypatch):
    from broadsheet.moderation.services import context_policy_set

    context_policy_set(key="section:world", mode="pre")
    [result] = run("Hello\n", monkeypatch, "--context", "section:world")
    assert result["decision"] == "hold"


def test_seed_pages_seven_comments_each_get_a_verdict(monkeypatch, seed_page):
    from broadsheet.ingest.seed_format import read_page_file

    comments = [c for top in read_page_file(seed_page).comments for c in top.walk()]
    lines = [json.dumps({"text": c.body, "name": c.author or ""}) for c in comments]
    results = run("\n".join(lines) + "\n", monkeypatch)
    assert len(results) == 7
    assert all(r["decision"] in {"allow", "hold", "reject"} for r in results)
    pigs = next(r for c, r in zip(comments, results, strict=True) if "Iranian pigs" in c.body)
    assert pigs["decision"] == "hold"
