"""Article model behaviour: credit line, sanitized body, publication time, bylines."""

import pytest
from django.core.exceptions import ValidationError

from broadsheet.newsroom.models import Article, Byline

from .factories import ArticleFactory, CreditFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_credit_line_joins_sources_in_position_order_with_slashes():
    article = ArticleFactory()
    # Created out of order: the line follows `position`, not insertion.
    CreditFactory(article=article, source=SourceFactory(credit_name="REUTERS"), position=2)
    CreditFactory(article=article, source=SourceFactory(credit_name="FOX NEWS"), position=0)
    CreditFactory(article=article, source=SourceFactory(credit_name="AP"), position=1)

    assert Article.objects.get(pk=article.pk).credit_line == "FOX NEWS/AP/REUTERS"


def test_credit_line_is_empty_without_credits():
    assert ArticleFactory().credit_line == ""


def test_body_is_rendered_to_html_at_save():
    article = ArticleFactory(body="Hello *world*\n\n## Later")

    assert "<em>world</em>" in article.body_html
    assert "<h2>Later</h2>" in article.body_html


def test_script_in_markdown_body_does_not_survive_save():
    article = ArticleFactory(
        body=(
            "Before <script>alert('x')</script> after\n\n"
            "<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(1))"
        )
    )
    stored = Article.objects.get(pk=article.pk).body_html

    assert "<script" not in stored
    assert "<img" not in stored  # raw HTML is shown as text, never as a live tag
    assert 'href="javascript' not in stored
    assert "Before" in stored and "after" in stored


def test_body_html_follows_body_when_saved_with_update_fields():
    article = ArticleFactory(body="first")
    article.body = "second"
    article.save(update_fields=["body"])

    assert "second" in Article.objects.get(pk=article.pk).body_html


def test_publishing_without_a_time_sets_it_to_now():
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    assert article.published_at is not None
    assert article.is_live


def test_scheduled_article_without_time_is_refused_by_validation():
    article = ArticleFactory.build(status=Article.Status.SCHEDULED, published_at=None)

    with pytest.raises(ValidationError) as excinfo:
        article.clean()
    assert "published_at" in excinfo.value.message_dict


def test_byline_prints_staff_public_name_or_written_name():
    article = ArticleFactory()
    staff = Byline.objects.create(article=article, user=UserFactory(display_name="Mira Osk"))
    free = Byline.objects.create(article=article, name="A. Stringer")

    assert staff.display_name == "Mira Osk"
    assert free.display_name == "A. Stringer"


def test_byline_needs_a_user_or_a_name():
    with pytest.raises(ValidationError):
        Byline(article=ArticleFactory(), name="  ").clean()


def test_article_url_is_dated_permalink():
    article = ArticleFactory(slug="dated")
    when = article.published_at

    assert article.get_absolute_url() == f"/{when:%Y/%m/%d}/dated/"
