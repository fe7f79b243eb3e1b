"""Article pages as every reader without a session shares them, and as caches in front keep them."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from broadsheet.core.page_cache import SHARED_ATTR, SharedPageMiddleware
from broadsheet.discussion.models import Comment
from broadsheet.discussion.tests.factories import comment_form, post
from broadsheet.discussion.views.comments import CONFIRM_POST
from broadsheet.newsroom.embed import article_thread
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db

BODY = "The new timetable finally puts a late bus back on the coast road."


@pytest.fixture
def article():
    return Article.objects.create(
        headline="Coast road buses return after dark",
        slug="coast-buses",
        status="published",
        published_at=timezone.now(),
    )


def test_anonymous_readers_get_the_same_cacheable_bytes(client, article):
    first = client.get(article.get_absolute_url())
    second = Client().get(article.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert (
        first["Cache-Control"]
        == "public, max-age=0, must-revalidate, s-maxage=10, stale-while-revalidate=30"
    )
    assert first.has_header("Last-Modified")
    assert "Cookie" not in first.get("Vary", "")
    assert not first.cookies
    assert b"csrfmiddlewaretoken" not in first.content
    assert b'data-token-url="/comments/form-token/"' in first.content


def test_a_conditional_get_of_an_unchanged_page_answers_304(client, article):
    page = client.get(article.get_absolute_url())

    by_etag = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    by_date = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])

    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_etag["ETag"] == page["ETag"]
    assert by_date.status_code == 304


def test_a_new_approved_comment_is_a_new_page_for_everyone(client, article):
    page = client.get(article.get_absolute_url())
    post(article_thread(article), BODY)

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != page["ETag"]
    assert BODY.encode() in again.content


def test_an_edited_article_is_a_new_page(client, article):
    page = client.get(article.get_absolute_url())
    article.headline = "Coast road buses return after dark, and on Sundays"
    article.save()

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])

    assert again.status_code == 200
    assert b"and on Sundays" in again.content


def test_a_kept_page_is_served_without_rendering(client, article, django_assert_max_num_queries):
    client.get(article.get_absolute_url())
    # The article and its thread, to know the versions; nothing for the comments or the form.
    with django_assert_max_num_queries(2):
        hit = client.get(article.get_absolute_url())
    assert hit.status_code == 200


def test_other_query_parameters_or_a_session_get_a_private_page(client, article):
    reply = client.get(article.get_absolute_url() + "?replytocom=1")
    assert reply["Cache-Control"] == "private, no-cache"
    assert not reply.has_header("ETag")

    client.cookies["sessionid"] = "whatever"
    mine = client.get(article.get_absolute_url())
    assert mine["Cache-Control"] == "private, no-cache"
    assert b"csrfmiddlewaretoken" in mine.content


def test_the_poster_reads_their_own_held_comment_at_once(client, article, settings):
    settings.MODERATION_MODE = "pre"
    thread = article_thread(article)
    client.get(article.get_absolute_url())

    sent = client.post("/comments/post/", comment_form(thread, BODY), follow=True)

    assert sent.status_code == 200
    assert Comment.objects.get(body=BODY).status == Comment.Status.PENDING
    assert BODY.encode() in sent.content
    assert sent["Cache-Control"] == "private, no-cache"
    # Everyone else's copy does not show it.
    assert BODY.encode() not in Client().get(article.get_absolute_url()).content


def test_the_form_token_endpoint_gives_a_token_a_stamp_and_the_cookie(client, article):
    thread = article_thread(article)

    answer = client.get(f"/comments/form-token/?thread={thread.pk}")
    missing = client.get("/comments/form-token/?thread=999999")

    assert answer.status_code == 200
    assert set(answer.json()) == {"csrfmiddlewaretoken", "rendered_at"}
    assert "csrftoken" in answer.cookies
    assert "no-store" in answer["Cache-Control"]
    assert missing.status_code == 404


def test_without_script_a_post_from_a_shared_page_is_pressed_twice_and_loses_nothing(
    article, settings
):
    settings.MODERATION_MIN_FORM_SECONDS = 0
    browser = Client(enforce_csrf_checks=True)
    thread = article_thread(article)
    page = browser.get(article.get_absolute_url()).content.decode()
    stamp = re.search(r'name="rendered_at" value="([^"]+)"', page).group(1)
    form = comment_form(thread, BODY, rendered_at=stamp)

    first = browser.post("/comments/post/", form)

    assert first.status_code == 403
    text = first.content.decode()
    assert CONFIRM_POST.split(" Your")[0] in text  # "One more step: press “Post Comment”..."
    assert BODY in text and "Grace Guest" in text and stamp in text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    assert not Comment.objects.exists()

    second = browser.post("/comments/post/", {**form, "csrfmiddlewaretoken": token})

    assert second.status_code == 302
    assert Comment.objects.get().body == BODY


def test_a_post_from_another_site_is_refused_outright(article):
    browser = Client(enforce_csrf_checks=True)
    thread = article_thread(article)

    answer = browser.post(
        "/comments/post/", comment_form(thread, BODY), HTTP_ORIGIN="https://elsewhere.example"
    )

    assert answer.status_code == 403
    assert BODY.encode() not in answer.content
    assert not Comment.objects.exists()


def test_a_shared_page_that_ends_up_setting_a_cookie_is_not_left_to_shared_caches():
    # A middleware below the page sets a cookie after all (a template the site added asked
    # for a CSRF token, say): the answer must stop saying public.
    def view(request):
        response = HttpResponse("page")
        response.set_cookie("csrftoken", "x")
        setattr(response, SHARED_ATTR, True)
        response["Cache-Control"] = "public, s-maxage=10"
        return response

    answer = SharedPageMiddleware(view)(RequestFactory().get("/"))

    assert answer["Cache-Control"] == "private, no-cache"
