"""The editors' admin: search, filters, inlines, preview link, publish actions, roles, saves."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from broadsheet.accounts.roles import EDITORS
from broadsheet.newsroom.models import Article, Image, Section, Tag

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    CreditFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    """A staff user whose only rights come from the Editors group."""
    out = StringIO()
    call_command("roles_sync", stdout=out)
    assert "Editors:" in out.getvalue()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return client


def test_editor_searches_articles_by_headline_and_body(editor_client):
    ArticleFactory(headline="Bridge vote", body="The islanders chose ferries.")
    ArticleFactory(headline="Market opens", body="Forty stalls.")

    by_body = editor_client.get("/admin/newsroom/article/", {"q": "ferries"}).content.decode()
    by_headline = editor_client.get("/admin/newsroom/article/", {"q": "Market"}).content.decode()

    assert "Bridge vote" in by_body and "Market opens" not in by_body
    assert "Market opens" in by_headline and "Bridge vote" not in by_headline


def test_editor_filters_by_status_and_sees_live_state_and_preview_links(editor_client):
    draft = ArticleFactory(headline="Draft piece", status=Article.Status.DRAFT)
    ArticleFactory(headline="Live piece")

    html = editor_client.get("/admin/newsroom/article/", {"status__exact": "draft"}).content
    html = html.decode()

    assert "Draft piece" in html and "Live piece" not in html
    assert f'href="/preview/{draft.pk}/"' in html
    assert "Live" in html  # the live-state column


def test_article_change_page_has_inlines_and_a_preview_link(editor_client):
    article = ArticleFactory()

    html = editor_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()

    for inline in ("bylines-group", "credits-group", "corrections-group"):
        assert inline in html
    assert f'href="/preview/{article.pk}/"' in html
    assert "prepopulated" in html.lower()


def test_editor_can_preview_a_draft(editor_client):
    draft = ArticleFactory(headline="Not out yet", status=Article.Status.DRAFT)

    response = editor_client.get(f"/preview/{draft.pk}/")

    assert response.status_code == 200
    assert "Not out yet" in response.content.decode()


def test_publish_and_unpublish_actions_use_the_workflow(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    editor_client.post(
        "/admin/newsroom/article/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_live

    editor_client.post(
        "/admin/newsroom/article/", {"action": "unpublish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and not draft.is_live


def test_image_admin_shows_a_thumbnail(editor_client):
    image = ImageFactory()

    html = editor_client.get("/admin/newsroom/image/").content.decode()

    assert f'<img src="{image.file.url}"' in html


def test_saving_a_scheduled_article_without_time_shows_the_error(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "status": "scheduled",
        "body": "Kept text",
        "comments_enabled": "on",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("bylines", "credits", "corrections")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("bylines", "credits", "corrections")},
    }

    response = admin_client.post(f"/admin/newsroom/article/{article.pk}/change/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "needs the date and time it goes live" in html
    assert "Kept text" in html


def test_editor_can_pick_a_staff_writer_for_a_byline(editor_client):
    UserFactory(username="writer-autocomplete", display_name="Findable Writer")

    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "newsroom",
            "model_name": "byline",
            "field_name": "user",
            "term": "writer-auto",
        },
    )

    assert response.status_code == 200
    assert "Findable Writer" in response.content.decode()


# Saves in the admin go through the newsroom's services.


def article_form(article: Article | None = None, **fields) -> dict:
    """The article change form as the browser posts it, with empty inlines unless given."""
    data = {
        "headline": article.headline if article else "",
        "slug": article.slug if article else "",
        "dek": article.dek if article else "",
        "body": article.body if article else "",
        "status": article.status if article else "draft",
        "published_at_0": "",
        "published_at_1": "",
        "section": str(article.section_id or "") if article else "",
        "comments_enabled": "on",
        "import_key": article.import_key if article else "",
    }
    if article is not None and article.published_at:
        when = timezone.localtime(article.published_at)
        data["published_at_0"], data["published_at_1"] = f"{when:%Y-%m-%d}", f"{when:%H:%M:%S}"
    for prefix in ("bylines", "credits", "corrections"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data.update(fields)
    return data


def test_adding_an_article_with_credits_in_the_admin_keeps_their_order(editor_client):
    ap, reuters = SourceFactory(credit_name="AP"), SourceFactory(credit_name="REUTERS")

    response = editor_client.post(
        "/admin/newsroom/article/add/",
        article_form(
            headline="Ferry returns",
            slug="ferry-returns",
            body="It sailed at noon.",
            **{
                "credits-TOTAL_FORMS": "2",
                "credits-0-position": "1",
                "credits-0-source": str(ap.pk),
                "credits-1-position": "0",
                "credits-1-source": str(reuters.pk),
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-position": "0",
                "bylines-0-name": "Harbour Stringer",
                "bylines-0-role": "Correspondent",
            },
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="ferry-returns")
    assert (article.headline, article.status, article.published_at) == (
        "Ferry returns",
        Article.Status.DRAFT,
        None,
    )
    assert "<p>It sailed at noon.</p>" in article.body_html
    assert article.credit_line == "REUTERS/AP"
    assert [(b.name, b.role, b.position) for b in article.bylines.all()] == [
        ("Harbour Stringer", "Correspondent", 0)
    ]


def test_changing_an_article_in_the_admin_keeps_untouched_credits(editor_client):
    article = ArticleFactory(headline="Old headline")
    credit = CreditFactory(article=article, source=SourceFactory(credit_name="AP"), position=0)
    data = article_form(article, headline="New headline")
    data |= {
        "credits-TOTAL_FORMS": "1",
        "credits-INITIAL_FORMS": "1",
        "credits-0-id": str(credit.pk),
        "credits-0-article": str(article.pk),
        "credits-0-position": "0",
        "credits-0-source": str(credit.source_id),
    }

    response = editor_client.post(f"/admin/newsroom/article/{article.pk}/change/", data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "New headline"
    assert list(article.credits.values_list("pk", "position")) == [(credit.pk, 0)]


def test_corrections_added_changed_and_removed_in_the_admin(editor_client):
    article = ArticleFactory()
    kept = CorrectionFactory(article=article, text="An early version misspelled a name.")
    gone = CorrectionFactory(article=article, text="Withdrawn note.")

    def correction(i: int, c, **fields) -> dict:
        when = timezone.localtime(c.noted_at)
        row = {
            f"corrections-{i}-id": str(c.pk),
            f"corrections-{i}-article": str(article.pk),
            f"corrections-{i}-kind": c.kind,
            f"corrections-{i}-noted_at_0": f"{when:%Y-%m-%d}",
            f"corrections-{i}-noted_at_1": f"{when:%H:%M:%S}",
            f"corrections-{i}-text": c.text,
        }
        return row | {f"corrections-{i}-{k}": v for k, v in fields.items()}

    data = article_form(article)
    data |= {"corrections-TOTAL_FORMS": "3", "corrections-INITIAL_FORMS": "2"}
    data |= correction(0, kept, text="An earlier version misspelled the harbour master's name.")
    data |= correction(1, gone, DELETE="on")
    data |= {
        "corrections-2-kind": "update",
        "corrections-2-noted_at_0": "2030-01-02",
        "corrections-2-noted_at_1": "03:04:05",
        "corrections-2-text": "The ferry has since sailed.",
    }

    response = editor_client.post(f"/admin/newsroom/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert list(article.corrections.values_list("kind", "text")) == [
        ("correction", "An earlier version misspelled the harbour master's name."),
        ("update", "The ferry has since sailed."),
    ]
    assert article.corrections.first().pk == kept.pk
    assert not article.corrections.filter(pk=gone.pk).exists()


def test_reordering_sections_on_the_list_page(editor_client):
    world, politics = SectionFactory(name="World", position=0), SectionFactory(position=1)

    response = editor_client.post(
        "/admin/newsroom/section/",
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": str(world.pk),
            "form-0-position": "5",
            "form-1-id": str(politics.pk),
            "form-1-position": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert list(Section.objects.order_by("position").values_list("pk", "position")) == [
        (politics.pk, 1),
        (world.pk, 5),
    ]


def test_a_section_name_taken_in_another_case_is_refused_next_to_the_field(editor_client):
    SectionFactory(name="World", slug="world")

    response = editor_client.post(
        "/admin/newsroom/section/add/",
        {"name": "WORLD", "slug": "world-2", "description": "", "position": "0"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["A section called 'WORLD' already exists."]
    }
    assert list(Section.objects.values_list("name", flat=True)) == ["World"]


def test_renaming_a_tag_keeps_its_own_name_free(editor_client):
    tag = TagFactory(name="Ferries", slug="ferries")

    response = editor_client.post(
        f"/admin/newsroom/tag/{tag.pk}/change/", {"name": "FERRIES", "slug": "ferries"}
    )

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", "slug")) == [("FERRIES", "ferries")]


def test_uploading_and_replacing_an_image_in_the_admin(editor_client):
    added = editor_client.post(
        "/admin/newsroom/image/add/",
        {
            "file": SimpleUploadedFile("harbour.jpg", jpeg_bytes((40, 30)), "image/jpeg"),
            "alt_text": "The harbour at dawn.",
            "caption": "Boats wait for the tide.",
            "second_caption": "",
            "credit": "Staff photographer",
        },
    )
    image = Image.objects.get()
    changed = editor_client.post(
        f"/admin/newsroom/image/{image.pk}/change/",
        {
            "file": SimpleUploadedFile("harbour-2.jpg", jpeg_bytes((64, 48)), "image/jpeg"),
            "alt_text": "The harbour at dawn.",
            "caption": "Boats leave on the tide.",
            "second_caption": "",
            "credit": "Staff photographer",
        },
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    image.refresh_from_db()
    assert (image.caption, image.width, image.height) == ("Boats leave on the tide.", 64, 48)
    assert image.file.name.endswith(".jpg") and "harbour-2" in image.file.name


def test_deleting_a_tag_in_the_admin_leaves_its_articles(editor_client):
    tag = TagFactory(name="Ferries")
    article = ArticleFactory()
    article.tags.add(tag)

    response = editor_client.post(f"/admin/newsroom/tag/{tag.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Tag.objects.exists()
    assert list(Article.objects.get(pk=article.pk).tags.all()) == []
