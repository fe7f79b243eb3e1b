"""Discussion URLs, mounted at the site root under /comments/ and /avatars/."""

from django.urls import path, re_path

from broadsheet.discussion import queue_views, subscription_views, views

app_name = "discussion"

urlpatterns = [
    path("comments/post/", views.comment_post_view, name="post"),
    path("comments/thread/<int:thread_id>/", views.thread_view, name="thread"),
    path("comments/<int:comment_id>/", views.permalink_view, name="permalink"),
    path("comments/<int:comment_id>/edit/", views.comment_edit_view, name="edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete_view, name="delete"),
    path("comments/<int:comment_id>/report/", queue_views.comment_report_view, name="report"),
    path("moderation/", queue_views.queue_view, name="queue"),
    path("moderation/act/", queue_views.queue_action_view, name="queue_act"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path(
        "comments/subscribe/<str:token>/",
        subscription_views.subscribe_confirm_view,
        name="subscribe_confirm",
    ),
    re_path(r"^avatars/(?P<digest>[0-9a-f]{32})\.svg$", views.avatar_view, name="avatar"),
]
