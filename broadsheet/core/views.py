"""Views shared by the whole site."""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

# Only image types are served from MEDIA_ROOT, so no uploaded file runs as a page here.
MEDIA_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve an uploaded image with a long cache lifetime."""
    if not path.lower().endswith(MEDIA_TYPES):
        raise Http404("Not a media file")
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=2592000"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
