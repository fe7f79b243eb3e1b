"""Feeds at WordPress's addresses, sitemaps, robots.txt, oEmbed and the share pages."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.decorators.http import conditional_page

from broadsheet.feeds import share_views, syndication, views
from broadsheet.feeds.jsonfeed import json_feed
from broadsheet.feeds.sitemaps import SITEMAPS


def _feed(view):
    """Answer If-None-Match / If-Modified-Since with 304 (the feed sets Last-Modified itself)."""
    return conditional_page(view)


app_name = "feeds"

urlpatterns: list = [
    path("share/<slug:service>/", share_views.share_host, name="share-host"),
    path("feed/", _feed(syndication.ArticleFeed()), name="rss"),
    path("feed/atom/", _feed(syndication.AtomArticleFeed()), name="atom"),
    # WordPress's other spellings of its main feed, so every subscriber's address keeps working.
    path("feed/rss2/", _feed(syndication.ArticleFeed()), name="rss2"),
    path("comments/feed/atom/", _feed(syndication.AtomCommentFeed()), name="comments-atom"),
    path("category/<slug:slug>/feed/", _feed(syndication.SectionFeed()), name="category"),
    path("feed/json/", _feed(json_feed), name="json"),
    path("comments/feed/", _feed(syndication.CommentFeed()), name="comments"),
    path("section/<slug:slug>/feed/", _feed(syndication.SectionFeed()), name="section"),
    path("tag/<slug:slug>/feed/", _feed(syndication.TagFeed()), name="tag"),
    path("author/<slug:slug>/feed/", _feed(syndication.AuthorFeed()), name="author"),
    path("topic/<slug:slug>/feed/", _feed(syndication.TopicFeed()), name="topic"),
    path(
        "<str:year>/<str:month>/<str:day>/<slug:slug>/feed/",
        _feed(syndication.ArticleCommentFeed()),
        name="article-comments",
    ),
    path(
        "sitemap.xml",
        conditional_page(cache_page(600)(views.sitemap_index)),
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(600)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("oembed/", views.oembed, name="oembed"),
]
