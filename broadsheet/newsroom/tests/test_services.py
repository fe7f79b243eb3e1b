"""Newsroom services: publishing, scheduling, unpublishing, corrections, creation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from broadsheet.newsroom import services
from broadsheet.newsroom.models import Article, Correction

from .factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_publish_makes_a_draft_live_now():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    now = timezone.now()

    article = services.article_publish(article=article, now=now)

    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == now
    assert article in Article.objects.published(now=now)


def test_republish_keeps_the_first_publication_time_so_the_url_stays():
    first = timezone.now() - timedelta(days=3)
    article = ArticleFactory(published_at=first)
    url = article.get_absolute_url()
    services.article_unpublish(article=article)

    article = services.article_publish(article=article)

    assert article.published_at == first
    assert article.get_absolute_url() == url


def test_publishing_a_scheduled_article_brings_it_forward_to_now():
    article = ArticleFactory(
        status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    now = timezone.now()

    assert services.article_publish(article=article, now=now).published_at == now


def test_schedule_sets_the_time_and_hides_the_article_until_then():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    at = timezone.now() + timedelta(hours=2)

    article = services.article_schedule(article=article, publish_at=at)

    assert article.status == Article.Status.SCHEDULED
    assert article not in Article.objects.published()
    assert article in Article.objects.published(now=at)


def test_schedule_in_the_past_is_refused_and_changes_nothing():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    with pytest.raises(ValidationError) as excinfo:
        services.article_schedule(article=article, publish_at=timezone.now() - timedelta(minutes=1))

    assert "future" in str(excinfo.value)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


def test_unpublish_takes_the_article_off_the_site():
    article = ArticleFactory()

    services.article_unpublish(article=article)

    assert article not in Article.objects.published()


def test_correction_add_records_text_kind_and_time():
    article = ArticleFactory()
    noted = timezone.now() - timedelta(minutes=5)

    note = services.correction_add(
        article=article, text="Fixed a date.", kind=Correction.Kind.UPDATE, noted_at=noted
    )

    assert list(article.corrections.all()) == [note]
    assert (note.kind, note.text, note.noted_at) == ("update", "Fixed a date.", noted)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_correction_is_refused(text):
    article = ArticleFactory()

    with pytest.raises(ValidationError):
        services.correction_add(article=article, text=text)
    assert not article.corrections.exists()


def test_article_create_makes_a_unique_slug_bylines_and_credits_in_order():
    first = services.article_create(headline="Storm closes the ferry")
    writer = UserFactory(display_name="Lena Staff")
    a, b = SourceFactory(credit_name="ONE"), SourceFactory(credit_name="TWO")

    second = services.article_create(
        headline="Storm closes the ferry",
        bylines=[services.BylineSpec(user=writer), services.BylineSpec(name="Wire Writer")],
        sources=[b, a],
    )

    assert first.slug == "storm-closes-the-ferry"
    assert second.slug == "storm-closes-the-ferry-2"
    assert second.status == Article.Status.DRAFT
    assert [x.display_name for x in second.bylines.all()] == ["Lena Staff", "Wire Writer"]
    assert second.credit_line == "TWO/ONE"


def test_article_create_without_headline_writes_nothing():
    with pytest.raises(ValidationError) as excinfo:
        services.article_create(headline="  ", body="kept by the caller")

    assert "headline" in excinfo.value.message_dict
    assert not Article.objects.exists()


def test_crediting_a_source_twice_is_refused():
    source = SourceFactory()

    with pytest.raises(ValidationError):
        services.article_create(headline="Twice", sources=[source, source])
    assert not Article.objects.exists()


def test_long_section_and_tag_names_get_slugs_that_fit_their_columns():
    name = "Regional council transport and infrastructure committee hearings " * 2
    section = services.section_get_or_create(name=name[:80])
    tag = services.tag_get_or_create(name=name[:80])
    twin = services.tag_get_or_create(name=name[:79] + "!")
    assert len(section.slug) <= 80
    assert len(tag.slug) <= 80
    assert len(twin.slug) <= 80
    assert twin.slug != tag.slug
