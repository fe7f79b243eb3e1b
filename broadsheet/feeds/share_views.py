"""Sharing to a network of many servers (Mastodon) without script: ask the server, then go there.

With JavaScript the share row asks in place (share.js); this page is what the same link does
without it. It redirects only to the share table's target for one of this site's own articles,
and only after a POST from its own form, so no link can bounce a reader anywhere else.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from broadsheet.core.middleware import site_policy
from broadsheet.feeds.addresses import article_at_url
from broadsheet.feeds.share import TARGETS_BY_SERVICE, ShareTarget, host_clean


class HostForm(forms.Form):
    """The reader's server and the article they share."""

    host = forms.CharField(
        label="Your Mastodon server",
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "placeholder": "mastodon.social",
                "autocomplete": "url",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "url",
            }
        ),
        error_messages={"required": "Type the name of your server, e.g. mastodon.social."},
    )
    url = forms.CharField(widget=forms.HiddenInput)

    def clean_host(self) -> str:
        host = host_clean(self.cleaned_data["host"])
        if host is None:
            raise forms.ValidationError(
                "That is not a server name. Type it as it appears in your address, "
                "e.g. mastodon.social for @you@mastodon.social."
            )
        return host


def _target(service: str) -> ShareTarget:
    target = TARGETS_BY_SERVICE.get(service)
    if target is None or not target.asks_host:
        raise Http404("No such share service")
    return target


@require_http_methods(["GET", "POST"])
def share_host(request: HttpRequest, service: str) -> HttpResponse:
    """Ask which server to share an article on; after the reader's POST, send them there."""
    target = _target(service)
    data = request.POST if request.method == "POST" else None
    url = (data or request.GET).get("url", "")
    article = article_at_url(url)
    form = HostForm(data, initial={"url": url})
    status = 200
    if data is not None:
        if form.is_valid():
            canonical = settings.SITE_URL + article.get_absolute_url()
            destination = target.href(
                url=canonical, title=article.headline, host=form.cleaned_data["host"]
            )
            response: HttpResponse = HttpResponseRedirect(destination)
            response.status_code = 303
            return response
        status = 400
    context = {"form": form, "article": article, "target": target}
    response = render(request, "feeds/share_host.html", context, status=status)
    # A step between two pages, with a form token in it: for this reader only, never indexed.
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    # Browsers hold a form's redirect to the page's form-action: this form's answer is a redirect
    # to the reader's server, so this page (and only this page) lets forms lead to https sites.
    response["Content-Security-Policy"] = site_policy().replace(
        "form-action 'self'", "form-action 'self' https:"
    )
    return response
