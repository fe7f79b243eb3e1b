"""Discussion URLs, mounted at the site root under /comments/, /moderation/ and /avatars/."""

from django.urls import path, re_path

from broadsheet.discussion.views import comments, queue, subscriptions, threads

app_name = "discussion"

urlpatterns = [
    path("comments/post/", comments.comment_post_view, name="post"),
    path("comments/form-token/", comments.form_token_view, name="form_token"),
    path("comments/thread/<int:thread_id>/", threads.thread_view, name="thread"),
    path("comments/<int:comment_id>/", threads.permalink_view, name="permalink"),
    path("comments/<int:comment_id>/edit/", comments.comment_edit_view, name="edit"),
    path("comments/<int:comment_id>/delete/", comments.comment_delete_view, name="delete"),
    path("comments/<int:comment_id>/report/", queue.comment_report_view, name="report"),
    path("moderation/", queue.queue_view, name="queue"),
    path("moderation/act/", queue.queue_action_view, name="queue_act"),
    path("comments/unsubscribe/<str:token>/", subscriptions.unsubscribe_view, name="unsubscribe"),
    path(
        "comments/subscribe/<str:token>/",
        subscriptions.subscribe_confirm_view,
        name="subscribe_confirm",
    ),
    re_path(r"^avatars/(?P<digest>[0-9a-f]{32})\.svg$", threads.avatar_view, name="avatar"),
]
