"""Importing a parsed page: one published article, updated in place, never duplicated."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.utils import timezone

from broadsheet.ingest.seed_format import parse_page, read_page_file
from broadsheet.ingest.services import page_import
from broadsheet.newsroom.models import Article, Credit, Image, Section, Source
from broadsheet.newsroom.tests.factories import ArticleFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

MODELS = (Article, Image, Source, Credit, Section)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def visible_text(fragment: str) -> list[str]:
    """The text of each paragraph of an HTML fragment, as a reader sees it."""
    paragraphs = re.findall(r"<p>(.*?)</p>", fragment, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs]


@pytest.fixture
def seed(seed_page):
    return read_page_file(seed_page)


def test_import_creates_the_published_article_with_every_field(seed):
    before = timezone.now()
    result = page_import(parsed=seed)

    article = Article.objects.get()
    assert result.created is True
    assert result.article == article
    assert article.headline == seed.headline
    assert article.slug == "gen-soleimani-seen-rallying-iranian-officers-hezbollah-in-syria"
    assert article.import_key.startswith("page:")
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.published_at <= timezone.now()
    assert article.is_live
    assert Article.objects.published().get() == article
    assert article.section.name == "World"
    assert visible_text(article.body_html) == list(seed.paragraphs)
    image = article.lead_image
    assert image.caption == seed.caption
    assert image.second_caption == seed.second_caption
    assert image.captions_near_duplicate is True
    assert not image.file
    assert article.credit_line == "FOX NEWS/AP/REUTERS"
    assert [(c.source.credit_name, c.position) for c in article.credits.all()] == [
        ("FOX NEWS", 0),
        ("AP", 1),
        ("REUTERS", 2),
    ]
    assert result.url == settings.SITE_URL + article.get_absolute_url()
    assert result.comments_parsed == 7
    assert set(result.changes) >= {"headline", "body", "caption", "credit_line"}


def test_reimporting_the_same_page_changes_nothing_and_duplicates_nothing(seed):
    first = page_import(parsed=seed)
    counts = row_counts()
    published_at = Article.objects.get().published_at

    again = page_import(parsed=seed)

    assert row_counts() == counts
    assert again.created is False
    assert again.changes == {}
    assert again.article.pk == first.article.pk
    assert Article.objects.get().published_at == published_at
    assert again.url == first.url


def test_reimporting_an_edited_page_updates_the_article_in_place(seed_page):
    page_import(parsed=read_page_file(seed_page))
    counts = row_counts()
    original = Article.objects.get()
    text = seed_page.read_text(encoding="utf-8")
    text = text.replace("FOX NEWS/AP/REUTERS", "REUTERS/AP")
    text = text.replace("Iran’s shadowy top military", "Iran’s secretive top military")

    result = page_import(parsed=parse_page(text))

    article = Article.objects.get()
    assert result.created is False
    assert set(result.changes) == {"body", "credit_line"}
    assert result.changes["credit_line"] == ("FOX NEWS/AP/REUTERS", "REUTERS/AP")
    assert article.credit_line == "REUTERS/AP"
    assert "Iran’s secretive top military" in visible_text(article.body_html)[0]
    assert article.published_at == original.published_at
    assert article.slug == original.slug
    assert article.lead_image_id == original.lead_image_id
    # FOX NEWS stays as a source (other stories may credit it); only its credit here went.
    assert row_counts() == {**counts, "Credit": counts["Credit"] - 1}


def test_existing_sources_are_reused_by_their_credit_name(seed):
    ap = SourceFactory(name="Associated Press", credit_name="AP")

    page_import(parsed=seed)

    assert Source.objects.count() == 3
    assert Article.objects.get().credits.get(position=1).source == ap


def test_reimport_keeps_the_section_an_editor_chose(seed):
    page_import(parsed=seed)
    middle_east = SectionFactory(name="Middle East", slug="middle-east")
    Article.objects.update(section=middle_east)

    result = page_import(parsed=seed)

    assert Article.objects.get().section == middle_east
    assert "section" not in result.changes


def test_an_explicit_section_is_used(seed):
    politics = SectionFactory(name="Politics", slug="politics")

    page_import(parsed=seed, section=politics)

    assert Article.objects.get().section == politics
    assert not Section.objects.filter(name="World").exists()


def test_a_slug_taken_by_another_article_gets_a_suffix(seed):
    other = ArticleFactory(slug="gen-soleimani-seen-rallying-iranian-officers-hezbollah-in-syria")

    result = page_import(parsed=seed)

    assert result.article.slug.endswith("-2")
    assert Article.objects.get(pk=other.pk).headline == other.headline


def test_dry_run_reports_the_changes_and_writes_nothing(seed):
    empty = row_counts()

    result = page_import(parsed=seed, dry_run=True)

    assert row_counts() == empty
    assert result.created is True
    assert result.dry_run is True
    assert result.fields["credit_line"] == "FOX NEWS/AP/REUTERS"
    assert result.url.startswith(settings.SITE_URL + "/")


def test_dry_run_on_an_existing_article_leaves_it_as_it_was(seed_page):
    page_import(parsed=read_page_file(seed_page))
    counts = row_counts()
    edited = seed_page.read_text(encoding="utf-8").replace("FOX NEWS/AP/REUTERS", "AP")

    result = page_import(parsed=parse_page(edited), dry_run=True)

    assert result.changes == {"credit_line": ("FOX NEWS/AP/REUTERS", "AP")}
    assert row_counts() == counts
    assert Article.objects.get().credit_line == "FOX NEWS/AP/REUTERS"


def test_body_text_that_looks_like_markdown_renders_as_written():
    paragraphs = [
        "# Not a heading, *not emphasis* and _not_ either",
        "1998. The year [the talks] began <b>in</b> & around &amp; Geneva | Lausanne",
        "- a dash, > a chevron, `ticks` and a back\\slash",
    ]
    text = "\n\n".join(
        ["Talks resume", "", "Share:", "", *[p + "\n" for p in paragraphs], "WIRE/AP"]
    )

    page_import(parsed=parse_page(text))

    article = Article.objects.get()
    assert visible_text(article.body_html) == paragraphs
    assert "<h1" not in article.body_html
    assert "<em>" not in article.body_html


def test_reimport_keeps_an_article_the_editors_took_down_off_the_site(seed):
    page_import(parsed=seed)
    Article.objects.update(status=Article.Status.DRAFT)
    page_import(parsed=seed)
    assert Article.objects.get().status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_reimporting_keeps_the_rows_of_credits_and_lead_image(seed):
    first = page_import(parsed=seed)
    credits = list(first.article.credits.values_list("pk", "source__credit_name", "position"))

    again = page_import(parsed=seed)

    assert list(again.article.credits.values_list("pk", "source__credit_name", "position")) == (
        credits
    )
    assert again.article.lead_image_id == first.article.lead_image_id


def test_a_source_named_as_the_page_credits_it_is_reused(seed):
    reuters = SourceFactory(name="REUTERS", credit_name="Thomson Reuters")

    page_import(parsed=seed)

    assert Source.objects.count() == 3
    article = Article.objects.get()
    assert article.credits.get(position=2).source == reuters
    assert article.credit_line == "FOX NEWS/AP/Thomson Reuters"
