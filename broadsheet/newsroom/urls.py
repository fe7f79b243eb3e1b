"""Newsroom pages (placeholder views filled in by the newsroom views module)."""

from django.urls import path

from broadsheet.newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("section/<slug:slug>/", views.section_page, name="section"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    path(
        "<str:year>/<str:month>/<str:day>/<slug:slug>/",
        views.article_page,
        name="article",
    ),
]
