"""Root URL configuration: wires each app's URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from broadsheet.core import ops
from broadsheet.core.views import serve_media

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("", include("broadsheet.feeds.urls")),
    path("", include("broadsheet.search.urls")),
    path("api/", include("broadsheet.discussion.api")),
    path("", include("broadsheet.discussion.urls")),
    path("accounts/", include("broadsheet.accounts.urls")),
    path("", include("broadsheet.newsroom.urls")),
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media, name="media"),
]
