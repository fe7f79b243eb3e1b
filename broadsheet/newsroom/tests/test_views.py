"""What readers and editors see on the newsroom's pages."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from broadsheet.newsroom.models import Article

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    CreditFactory,
    ImageFactory,
    SectionFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def hours_ago(n: float):
    return timezone.now() - timedelta(hours=n)


@pytest.fixture
def full_article():
    """A published article with everything the seed page shows."""
    image = ImageFactory(
        caption="Rescuers reach the stranded hikers at dawn.",
        second_caption="Hikers stranded overnight were reached by rescuers at first light.",
        captions_near_duplicate=True,
        credit="Jo Lens / Test Agency",
        alt_text="Rescuers on a ridge.",
    )
    article = ArticleFactory(
        headline="Hikers rescued from the ridge",
        slug="hikers-rescued",
        dek="All six are safe.",
        body="Six hikers were brought down on Sunday.\n\nThey were cold but unhurt.",
        lead_image=image,
    )
    article.tags.add(TagFactory(name="Mountains", slug="mountains"))
    BylineFactory(article=article, name="Sam Field", role="Staff writer")
    for pos, name in enumerate(["FOX NEWS", "AP", "REUTERS"]):
        CreditFactory(article=article, source=SourceFactory(credit_name=name), position=pos)
    CorrectionFactory(article=article, text="An earlier version gave the wrong number of hikers.")
    return article


# Front, section and tag pages


def test_front_page_lists_published_articles_newest_first(client):
    old = ArticleFactory(headline="Older news", published_at=hours_ago(5))
    new = ArticleFactory(headline="Newer news", published_at=hours_ago(1))
    ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT)
    ArticleFactory(
        headline="Not yet",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )

    html = client.get("/").content.decode()

    assert html.index(new.headline) < html.index(old.headline)
    assert "Secret draft" not in html
    assert "Not yet" not in html


def test_front_page_is_paginated_by_the_setting(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for i in range(5):
        ArticleFactory(headline=f"Numbered story {i}", published_at=hours_ago(i + 1))

    first = client.get("/").content.decode()
    third = client.get("/?page=3").content.decode()

    assert "Numbered story 0" in first and "Numbered story 1" in first
    assert "Numbered story 2" not in first
    assert 'href="?page=2"' in first
    assert "Numbered story 4" in third and "Numbered story 3" not in third
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_section_page_lists_only_that_sections_published_articles(client):
    world, city = SectionFactory(name="World", slug="world"), SectionFactory(name="City")
    ArticleFactory(headline="Abroad", section=world)
    ArticleFactory(headline="At home", section=city)
    ArticleFactory(headline="Draft abroad", section=world, status=Article.Status.DRAFT)

    response = client.get("/section/world/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>World</h1>" in html
    assert "Abroad" in html
    assert "At home" not in html and "Draft abroad" not in html
    assert client.get("/section/nowhere/").status_code == 404


def test_tag_page_lists_only_tagged_published_articles(client):
    tag = TagFactory(name="Rivers", slug="rivers")
    tagged = ArticleFactory(headline="Flood warning")
    tagged.tags.add(tag)
    ArticleFactory(headline="Unrelated")

    html = client.get("/tag/rivers/").content.decode()

    assert "Rivers" in html and "Flood warning" in html
    assert "Unrelated" not in html
    assert client.get("/tag/nothing/").status_code == 404


def test_site_navigation_lists_sections(client):
    SectionFactory(name="Science", slug="science")

    html = client.get("/").content.decode()

    assert '<nav class="site-nav" aria-label="Sections">' in html
    assert 'href="/section/science/"' in html


# The article page


def test_article_is_served_at_its_dated_permalink(client, full_article):
    url = full_article.get_absolute_url()
    response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1" in html and "Hikers rescued from the ridge" in html
    assert "All six are safe." in html
    assert "Sam Field" in html
    assert f'<time class="story__time" datetime="{full_article.published_at.isoformat()}' in html
    assert "Six hikers were brought down on Sunday." in html


def test_article_page_follows_the_seed_order(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()

    order = [
        'class="story__headline"',
        "Share:",
        "<figure",
        "Six hikers were brought down",
        'class="credit-line"',
        "Corrections and updates",
        "Share:",
        'id="comments"',
    ]
    positions = []
    start = 0
    for marker in order:
        start = html.index(marker, start)
        positions.append(start)
    assert positions == sorted(positions)


def test_both_captions_the_photo_credit_and_credit_line_are_shown(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()
    figure = html[html.index("<figure") : html.index("</figure>")]

    assert "<figcaption>" in figure
    assert "Rescuers reach the stranded hikers at dawn." in figure
    assert "Hikers stranded overnight were reached by rescuers at first light." in figure
    assert "Jo Lens / Test Agency" in figure
    assert 'alt="Rescuers on a ridge."' in figure
    assert full_article.lead_image.file.url in figure
    assert '<p class="credit-line">FOX NEWS/AP/REUTERS</p>' in html


def test_corrections_are_shown_with_their_time(client, full_article):
    note = full_article.corrections.get()

    html = client.get(full_article.get_absolute_url()).content.decode()

    assert "An earlier version gave the wrong number of hikers." in html
    assert f'datetime="{note.noted_at.isoformat()}' in html


def test_article_page_has_section_and_tags_links(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()

    assert f'href="{full_article.section.get_absolute_url()}"' in html
    assert 'href="/tag/mountains/" rel="tag">Mountains</a>' in html


def test_article_text_is_escaped_everywhere_but_the_sanitized_body(client):
    article = ArticleFactory(
        headline="<b>Bold</b> claim", dek="<script>alert(1)</script>", slug="escaped"
    )
    BylineFactory(article=article, name="<i>Eve</i>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in html
    assert "<script>alert(1)</script>" not in html
    assert "<i>Eve</i>" not in html


@pytest.mark.parametrize(
    "status,delta",
    [
        (Article.Status.DRAFT, timedelta(hours=-1)),
        (Article.Status.SCHEDULED, timedelta(hours=2)),
        (Article.Status.PUBLISHED, timedelta(hours=2)),
    ],
)
def test_unpublished_article_is_404(client, status, delta):
    when = timezone.now() + delta
    ArticleFactory(status=status, published_at=when, slug="hidden", headline="Kept back")

    assert client.get(f"/{timezone.localtime(when):%Y/%m/%d}/hidden/").status_code == 404
    assert "Kept back" not in client.get("/").content.decode()


def test_scheduled_article_appears_at_its_time_without_cron(client):
    article = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(seconds=1),
        headline="Right on time",
    )
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404

    # Move the clock past the publication time (the row itself is unchanged).
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())

    assert client.get(url).status_code == 200
    assert "Right on time" in client.get("/").content.decode()


def test_wrong_or_badly_spelled_date_is_404(client):
    when = datetime(2024, 3, 7, 12, 0, tzinfo=UTC)
    ArticleFactory(slug="dated", published_at=when)

    assert client.get("/2024/03/07/dated/").status_code == 200
    assert client.get("/2024/03/06/dated/").status_code == 404
    assert client.get("/2023/03/07/dated/").status_code == 404
    assert client.get("/2024/3/7/dated/").status_code == 404  # one spelling per article
    assert client.get("/2024/13/45/dated/").status_code == 404
    assert client.get("/2024/03/07/other/").status_code == 404


def test_pages_carry_a_strict_csp_and_no_inline_script_or_style(client, full_article):
    for url in ("/", full_article.get_absolute_url(), "/section/nowhere/"):
        response = client.get(url)
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert " style=" not in html
        assert "<style" not in html
        for chunk in html.split("<script")[1:]:
            # Structured data (JSON-LD) is a data block the browser never runs.
            tag = chunk.split(">")[0]
            assert "src=" in tag or tag == ' type="application/ld+json"', url


def test_404_page_is_the_sites_own(client):
    response = client.get("/section/missing/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Staff preview


@pytest.fixture
def draft():
    return ArticleFactory(
        headline="Embargoed budget story", status=Article.Status.DRAFT, published_at=None
    )


def test_editor_with_change_permission_can_preview_a_draft(client, draft):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)

    response = client.get(f"/preview/{draft.pk}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Embargoed budget story" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Preview" in html and "Draft" in html


def test_staff_without_change_permission_gets_403(client, draft):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(f"/preview/{draft.pk}/").status_code == 403


@pytest.mark.parametrize("staff", [False, None])
def test_readers_are_sent_to_login_and_never_see_the_draft(client, draft, staff):
    if staff is not None:
        client.force_login(UserFactory(is_staff=staff))

    response = client.get(f"/preview/{draft.pk}/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert "Embargoed" not in response.content.decode()


def test_preview_of_missing_article_is_404(client, admin_client):
    assert admin_client.get("/preview/999999/").status_code == 404


def test_captions_are_shown_even_when_the_photo_file_is_missing(client):
    image = ImageFactory(
        file=None, caption="Only the words came through.", second_caption="Second wording."
    )
    article = ArticleFactory(lead_image=image)

    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index("<figure") : html.index("</figure>")]

    assert "<img" not in figure
    assert "Only the words came through." in figure and "Second wording." in figure


def test_404_page_needs_no_database(client, django_assert_num_queries):
    # The first 404 learns (and caches) that the site has no imported old addresses to redirect.
    client.get("/no/such/page/")
    with django_assert_num_queries(0):
        response = client.get("/no/such/page/at/all/")

    assert response.status_code == 404


def test_pages_have_landmarks_skip_link_and_current_section(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert '<html lang="en">' in html
    section = full_article.section
    assert f'href="{section.get_absolute_url()}" aria-current="page"' in html
