"""Newsroom pages: front, sections, tags, dated article permalinks and the staff preview."""

from django.urls import path
from django.views.generic import RedirectView

from broadsheet.newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("section/<slug:slug>/", views.section_page, name="section"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    # WordPress calls sections categories: its category addresses lead to the section.
    path(
        "category/<slug:slug>/",
        RedirectView.as_view(pattern_name="newsroom:section", permanent=True, query_string=True),
    ),
    # WordPress's author URL, so an imported site's author links keep working.
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("topic/<slug:slug>/", views.topic_page, name="topic"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    # WordPress-style permalinks, so imported sites keep their URLs.
    path(
        "<str:year>/<str:month>/<str:day>/<slug:slug>/",
        views.article_page,
        name="article",
    ),
]
