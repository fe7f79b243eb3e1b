"""dumpsite/loadsite: a whole site out and back in, exactly; a site in use needs --merge."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage

from broadsheet.accounts.tests.factories import PASSWORD, UserFactory, moderator
from broadsheet.discussion import services as discussion
from broadsheet.discussion.models import Comment, CommentFlag, Thread
from broadsheet.ingest.archive.spec import row_types
from broadsheet.ingest.models import LegacyURL
from broadsheet.moderation.models import Ban, WordRule
from broadsheet.moderation.services.bans import ban_create
from broadsheet.moderation.services.word_rules import word_rule_set
from broadsheet.newsroom import services as newsroom
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article, Image

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)


def png_bytes() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (12, 8), "#aa3300").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_site():
    mod = moderator(username="mo", email="mo@news.example.org", display_name="Mo Derator")
    writer = UserFactory.create(username="writer", email="w@news.example.org", is_staff=True)
    reader = UserFactory.create(username="reader", email="r@example.org")
    world = newsroom.section_create(name="World", slug="world", description="Abroad")
    tag = newsroom.tag_create(name="Harbours", slug="harbours")
    wire = newsroom.source_create(name="Associated Press", credit_name="AP")
    photo = newsroom.image_create(
        content=png_bytes(), filename="dawn.png", caption="Dawn.", alt_text="Sky", credit="Jo"
    )
    newsroom.author_ensure(user=writer)
    topic = newsroom.topic_create(name="Lisbon", kind="place", listed=True)
    article = newsroom.article_create(
        headline="Harbour reopens",
        body="The harbour *reopened*.",
        dek="Boats back.",
        section=world,
        tags=[tag],
        bylines=[newsroom.BylineSpec(user=writer), newsroom.BylineSpec(name="Sam Wire")],
        sources=[wire],
        lead_image=photo,
        slug="harbour-reopens",
    )
    article = newsroom.article_publish(article=article, now=WHEN)
    newsroom.article_topic_add(article=article, topic=topic)
    newsroom.correction_add(article=article, text="An earlier version misnamed the pier.")
    LegacyURL.objects.create(path="/?p=12", article=article, origin="old.example")
    thread = article_thread(article)
    verdict = {
        "decision": "hold",
        "reasons": [{"rule": "words", "text": "held"}],
        "scores": {"toxicity": 0.91},
    }
    top = discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Ada",
        author_email="ada@example.org",
        body="Top comment.",
        import_key="t:1",
        created_at=WHEN + timedelta(minutes=1),
    )
    middle = discussion.comment_import(
        thread=thread,
        parent=top,
        author_name="Bo",
        body="A reply.",
        import_key="t:2",
        created_at=WHEN + timedelta(minutes=2),
    )
    discussion.comment_import(
        thread=thread,
        parent=middle,
        author_name="Cy",
        body="Held, deep down.",
        import_key="t:3",
        status="pending",
        verdict=verdict,
        created_at=WHEN + timedelta(minutes=3),
    )
    discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Spammer",
        body="Buy now.",
        import_key="t:4",
        status="spam",
        created_at=WHEN + timedelta(minutes=4),
    )
    gone = discussion.comment_import(
        thread=thread,
        parent=None,
        author_name="Di",
        body="I take it back.",
        import_key="t:5",
        status="deleted",
        created_at=WHEN + timedelta(minutes=5),
    )
    discussion.comment_import(
        thread=thread,
        parent=gone,
        author_name="Ed",
        body="Under a tombstone.",
        import_key="t:6",
        verdict=verdict,
        review_imported=True,
        created_at=WHEN + timedelta(minutes=6),
    )
    discussion.comment_report(comment=top, reporter_key="reader-key", reason="abuse", user=reader)
    discussion.comment_feature(comment=middle, actor=mod)
    word_rule_set(word="pills", action="reject", note="spam")
    ban_create(email="troll@example.org", duration=timedelta(days=7), reason="Abuse", actor=mod)
    return article, thread


def dump(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("dumpsite", *args, stdout=out)
    return out.getvalue().splitlines()


def wipe(media_root) -> None:
    for kind in reversed(row_types()):
        kind.model._default_manager.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)


def load(path, *args: str) -> str:
    out = io.StringIO()
    call_command("loadsite", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_header_names_format_version_site_and_counts():
    build_site()
    header = json.loads(dump()[0])

    assert header["format"] == "broadsheet-site" and header["version"] == 1
    assert header["counts"]["comment"] == 6 and header["counts"]["article"] == 1
    assert header["counts"]["word_rule"] >= 1 and header["counts"]["ban"] == 1
    assert header["site_url"] and header["created_at"]


def test_users_come_with_emails_and_groups_but_no_password_hash_unless_asked():
    build_site()
    users = [json.loads(line) for line in dump()[1:] if '"type": "user"' in line]
    mo = next(u for u in users if u["username"] == "mo")
    assert mo["email"] == "mo@news.example.org" and mo["groups"] == ["Moderators"]
    assert all("password" not in user for user in users)

    with_secrets = [
        json.loads(line) for line in dump("--with-secrets")[1:] if '"type": "user"' in line
    ]
    assert all(
        user["password"].startswith(("pbkdf2", "md5", "argon2", "!")) for user in with_secrets
    )


def test_load_into_an_empty_site_reproduces_it_exactly(tmp_path, media_root):
    article, thread = build_site()
    before = dump("--with-secrets")
    paths = list(
        thread.comments.order_by("path").values_list("author_name", "path", "status", "depth")
    )
    counters = (thread.comment_count, thread.top_level_count, thread.last_seq)
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(before) + "\n")
    photo_bytes = Image.objects.get().file.read()

    wipe(media_root)
    assert Article.objects.count() == 0 and not media_root.exists()
    output = load(archive)

    after = dump("--with-secrets")
    assert after[1:] == before[1:]  # every row, every field, same keys
    assert json.loads(after[0])["counts"] == json.loads(before[0])["counts"]
    restored = Thread.objects.get(key=f"article:{article.pk}")
    assert (
        list(
            restored.comments.order_by("path").values_list("author_name", "path", "status", "depth")
        )
        == paths
    )
    assert [len(p) // 10 for _n, p, _s, _d in paths] == [1, 2, 3, 1, 1, 2]
    assert (restored.comment_count, restored.top_level_count, restored.last_seq) == counters
    held = Comment.objects.get(author_name="Cy")
    assert held.verdict["scores"] == {"toxicity": 0.91} and held.status == "pending"
    assert Comment.objects.get(author_name="Ed").review_imported
    assert Comment.objects.get(author_name="Ada").report_count == 1
    assert CommentFlag.objects.get().reason == "abuse"
    assert Comment.objects.get(author_name="Bo").is_featured
    assert Image.objects.get().file.read() == photo_bytes
    assert get_user_model().objects.get(username="mo").groups.get().name == "Moderators"
    assert get_user_model().objects.get(username="reader").check_password(PASSWORD)  # secrets
    assert WordRule.objects.get(word="pills").action == "reject"
    assert Ban.objects.get().email == "troll@example.org"
    assert output.splitlines()[0].startswith("loaded ")


def test_users_loaded_without_hashes_must_reset_their_password(tmp_path, media_root):
    build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")
    wipe(media_root)
    load(archive)

    assert not get_user_model().objects.get(username="mo").has_usable_password()


def test_a_new_row_after_a_load_gets_a_fresh_id(tmp_path, media_root):
    article, _thread = build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")
    wipe(media_root)
    load(archive)

    fresh = newsroom.article_create(headline="After the move", slug="after")
    assert fresh.pk > article.pk


def test_a_site_with_content_is_refused_unless_merging(tmp_path, media_root):
    build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")
    comments = Comment.objects.count()

    with pytest.raises(CommandError, match=r"already has content \(3 user, 1 section, .*--merge"):
        load(archive)

    output = load(archive, "--merge")
    assert Comment.objects.count() == comments and Article.objects.count() == 1
    assert "  comment: 0 new, 6 updated" in output.splitlines()


def test_merge_adds_what_the_site_lacks_and_maps_its_keys(tmp_path, media_root):
    article, _thread = build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")
    wipe(media_root)
    other = newsroom.article_create(headline="Already here", slug="already-here")
    newsroom.article_publish(article=other)
    article_thread(other)

    load(archive, "--merge")

    moved = Article.objects.get(slug="harbour-reopens")
    assert moved.pk != article.pk and Article.objects.count() == 2
    thread = Thread.objects.get(key=f"article:{moved.pk}")
    assert thread.comments.count() == 6
    assert thread.comment_count == Comment.objects.filter(thread=thread, status="approved").count()
    assert moved.tags.get().slug == "harbours"
    assert Image.objects.get().file.read() == png_bytes()
    assert moved.lead_image == Image.objects.get()


def test_a_dry_run_loads_nothing(tmp_path, media_root):
    build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")
    wipe(media_root)

    output = load(archive, "--dry-run")

    assert output.startswith("dry run, rolled back: would load")
    assert Article.objects.count() == 0 and Comment.objects.count() == 0
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_merge_into_a_thread_with_its_own_comments_keeps_both_trees(tmp_path, media_root):
    article, _thread = build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")
    wipe(media_root)
    # The other site has the same story, with a discussion of its own.
    here = newsroom.article_create(headline="Harbour reopens", slug="harbour-reopens")
    here = newsroom.article_publish(article=here, now=WHEN)
    thread = article_thread(here)
    local = discussion.comment_import(
        thread=thread, parent=None, author_name="Local", body="Here first.", import_key="l:1"
    )
    discussion.comment_import(
        thread=thread, parent=local, author_name="Local reply", body="Yes.", import_key="l:2"
    )

    load(archive, "--merge")
    load(archive, "--merge")  # twice: nothing added the second time

    thread.refresh_from_db()
    rows = list(thread.comments.order_by("path").values_list("author_name", "depth", "status"))
    assert rows == [
        ("Local", 0, "approved"),
        ("Local reply", 1, "approved"),
        ("Ada", 0, "approved"),
        ("Bo", 1, "approved"),
        ("Cy", 2, "pending"),
        ("Spammer", 0, "spam"),
        ("Di", 0, "deleted"),
        ("Ed", 1, "approved"),
    ]
    assert thread.last_seq == 8
    assert (thread.comment_count, thread.top_level_count) == (
        Comment.objects.filter(thread=thread, status="approved").count(),
        3,
    )
    paths = list(thread.comments.values_list("path", flat=True))
    assert len(set(paths)) == 8


def test_dumpsite_to_a_file_is_private_whole_and_summarised(tmp_path):
    build_site()
    target = tmp_path / "backup.jsonl"
    out = io.StringIO()
    call_command("dumpsite", "--output", str(target), stdout=out, stderr=io.StringIO())

    lines = target.read_text().splitlines()
    assert json.loads(lines[0])["format"] == "broadsheet-site"
    assert len(lines) == 1 + sum(json.loads(lines[0])["counts"].values())
    assert target.stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.glob(".backup.jsonl.*")) == []
    assert out.getvalue().startswith(f"{target}: {len(lines) - 1:,} rows, 0.0 MB of image files")
    assert out.getvalue().strip().endswith("; without password hashes")

    with pytest.raises(CommandError, match="does not exist"):
        call_command("dumpsite", "--output", str(tmp_path / "nope" / "x.jsonl"))


def test_merge_without_secrets_keeps_the_passwords_users_have_here(tmp_path, media_root):
    build_site()
    archive = tmp_path / "site.jsonl"
    archive.write_text("\n".join(dump()) + "\n")

    load(archive, "--merge")

    assert get_user_model().objects.get(username="reader").check_password(PASSWORD)
