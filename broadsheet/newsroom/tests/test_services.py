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


def test_article_update_changes_only_what_it_is_given():
    article = ArticleFactory(headline="Old", dek="Kept standfirst", body="Old body.")

    article = services.article_update(article=article, headline="New", body="New *body*.")

    article.refresh_from_db()
    assert (article.headline, article.dek) == ("New", "Kept standfirst")
    assert article.body_html == "<p>New <em>body</em>.</p>\n"


def test_article_update_refuses_a_slug_another_article_has_and_writes_nothing():
    ArticleFactory(slug="taken")
    article = ArticleFactory(headline="Mine", slug="mine")

    with pytest.raises(ValidationError) as excinfo:
        services.article_update(article=article, headline="Changed", slug="taken")

    assert excinfo.value.message_dict == {
        "slug": ["The slug 'taken' is already used by another article."]
    }
    article.refresh_from_db()
    assert (article.headline, article.slug) == ("Mine", "mine")


def test_article_update_refuses_a_schedule_without_a_time():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    with pytest.raises(ValidationError) as excinfo:
        services.article_update(article=article, status=Article.Status.SCHEDULED)

    assert excinfo.value.message_dict == {
        "published_at": ["A scheduled article needs the date and time it goes live."]
    }
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_setting_credits_again_keeps_the_rows_and_only_reorders_them():
    article = ArticleFactory()
    a, b, c = (SourceFactory(credit_name=n) for n in ("ONE", "TWO", "THREE"))
    first = services.article_credits_set(article=article, sources=[a, b, c])

    again = services.article_credits_set(article=article, sources=[c, a])

    assert article.credit_line == "THREE/ONE"
    assert [x.pk for x in again] == [first[2].pk, first[0].pk]
    assert not article.credits.filter(source=b).exists()


def test_a_long_headline_gets_the_whole_slug_column_and_a_suffix_when_taken():
    headline = "Harbour " * 37  # 295 characters once trimmed: within the headline's 300
    first = services.article_create(headline=headline)
    second = services.article_create(headline=headline)

    assert first.slug == "-".join(["harbour"] * 25)  # 199 characters: no dangling hyphen
    assert second.slug == first.slug[:198] + "-2"  # the root gives way to the suffix
    assert len(second.slug) == 200


def test_a_headline_longer_than_its_column_is_refused_with_its_length():
    with pytest.raises(ValidationError) as excinfo:
        services.article_create(headline="Harbour " * 40)
    assert excinfo.value.message_dict == {
        "headline": ["The headline is 319 characters long; the limit is 300."]
    }
    assert not Article.objects.exists()


def test_source_get_or_create_finds_a_source_by_credit_then_by_name():
    ap = SourceFactory(name="Associated Press", credit_name="AP")
    typed = SourceFactory(name="REUTERS", credit_name="Reuters wire")

    assert services.source_get_or_create(credit_name="ap") == ap
    assert services.source_get_or_create(credit_name="REUTERS") == typed
    fox = services.source_get_or_create(credit_name="FOX NEWS")
    assert (fox.name, fox.credit_name) == ("FOX NEWS", "FOX NEWS")


def test_an_image_can_be_stored_with_its_captions_only_and_updated():
    image = services.image_create(caption=" A caption. ", second_caption="Another.")

    image = services.image_update(image=image, caption="A better caption.")

    image.refresh_from_db()
    assert (image.caption, image.second_caption, image.file.name) == (
        "A better caption.",
        "Another.",
        "",
    )


def test_an_empty_image_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        services.image_create(content=b"", filename="empty.jpg")

    assert excinfo.value.message_dict == {"file": ["The image file is empty."]}


def test_sections_and_tags_are_one_per_name_whatever_its_case():
    world = services.section_create(name="World")
    services.tag_create(name="Ferries")

    with pytest.raises(ValidationError) as excinfo:
        services.section_create(name="WORLD")
    assert excinfo.value.message_dict == {"name": ["A section called 'WORLD' already exists."]}
    with pytest.raises(ValidationError):
        services.tag_create(name="ferries")
    assert services.section_update(section=world, name="The World").slug == "world"


def test_correction_update_and_delete_touch_the_article():
    article = ArticleFactory()
    note = services.correction_add(article=article, text="Fixed a date.")
    touched = Article.objects.get(pk=article.pk).updated_at

    note = services.correction_update(correction=note, text="Fixed two dates.")
    assert Article.objects.get(pk=article.pk).updated_at > touched
    services.correction_delete(correction=note)

    assert not article.corrections.exists()
