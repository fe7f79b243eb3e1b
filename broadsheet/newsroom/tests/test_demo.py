"""`broadsheet load_demo`: fictional articles with generated images, loaded once."""

import sys
import types
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from broadsheet.newsroom.demo import ARTICLES, IMAGE_SIZE
from broadsheet.newsroom.models import Article, Correction, Image, Section, Source

pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_load_demo_creates_published_and_scheduled_articles_in_three_sections():
    output = load_demo()

    assert Article.objects.count() == len(ARTICLES)
    live = Article.objects.published()
    scheduled = Article.objects.filter(status=Article.Status.SCHEDULED)
    assert live.count() == len(ARTICLES) - 1
    assert scheduled.count() == 1 and not scheduled.get().is_live
    assert Section.objects.count() == 3
    assert all(a.section_id for a in Article.objects.all())
    assert f"Loaded {len(ARTICLES)} demo articles" in output


def test_demo_has_bylines_wire_credits_tags_and_a_correction():
    load_demo()

    lines = {a.credit_line for a in Article.objects.all()}
    assert any(line.count("/") == 2 for line in lines)  # credited to three sources
    assert any(line.count("/") == 1 for line in lines)
    assert Source.objects.count() >= 3
    staff = Article.objects.filter(bylines__user__isnull=False).distinct().count()
    free = Article.objects.filter(bylines__user__isnull=True).distinct().count()
    assert staff and free
    assert all(a.tags.exists() for a in Article.objects.all())
    assert Correction.objects.count() == 1


def test_load_demo_if_empty_is_idempotent_and_plain_rerun_adds_nothing():
    load_demo("--if-empty")
    count = Article.objects.count()

    second = load_demo("--if-empty")
    load_demo()

    assert "already exist" in second
    assert Article.objects.count() == count
    assert Image.objects.count() == count


def test_if_empty_does_nothing_when_any_article_exists():
    Article.objects.create(headline="Someone else's story", slug="other")

    load_demo("--if-empty")

    assert Article.objects.count() == 1


def test_demo_images_are_generated_captioned_and_served(client):
    load_demo()

    article = Article.objects.published().exclude(lead_image=None).first()
    image = article.lead_image
    assert image.caption and image.credit and image.alt_text
    assert (image.width, image.height) == IMAGE_SIZE
    with image.file.open("rb") as fh:
        picture = PILImage.open(BytesIO(fh.read()))
        assert picture.format == "JPEG" and picture.size == IMAGE_SIZE
        # Artwork, not a blank rectangle: several distinct colours.
        assert len(set(picture.convert("RGB").resize((64, 36)).getdata())) > 20

    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"

    page = client.get(article.get_absolute_url()).content.decode()
    assert image.file.url in page and image.caption in page.replace("&#x27;", "'")


def test_demo_article_with_two_captions_shows_both(client):
    load_demo()
    image = Image.objects.exclude(second_caption="").filter(captions_near_duplicate=True).first()
    article = Article.objects.get(lead_image=image)

    html = client.get(article.get_absolute_url()).content.decode().replace("&#x27;", "'")

    assert image.caption in html and image.second_caption in html


def test_load_demo_hands_its_articles_to_the_discussion_demo(monkeypatch):
    received = []
    module = types.ModuleType("broadsheet.newsroom.demo_discussion")
    module.demo_discussion_load = lambda articles: received.extend(articles) or "3 comments"
    monkeypatch.setitem(sys.modules, module.__name__, module)

    output = load_demo()

    assert sorted(a.pk for a in received) == sorted(Article.objects.values_list("pk", flat=True))
    assert "Discussion: 3 comments." in output
