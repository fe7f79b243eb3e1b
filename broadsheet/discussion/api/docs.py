"""API documentation as plain HTML drawn from the OpenAPI schema: no scripts, no CDN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHODS = ("get", "post", "put", "patch", "delete")


class PlainDocs(DocsBase):
    """List every operation with its parameters and answers; our CSP forbids Swagger's CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        openapi_url = self.get_openapi_url(api, kwargs)
        sections = []
        for path, item in schema["paths"].items():
            for method in METHODS:
                operation = item.get(method)
                if operation:
                    sections.append(_operation_html(method, path, operation))
        body = format_html(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>{title} API {version}</title></head><body><main>"
            "<h1>{title} API {version}</h1><p>{description}</p>"
            '<p>Machine-readable schema: <a href="{openapi_url}">{openapi_url}</a></p>'
            "{sections}</main></body></html>",
            title=api.title,
            version=api.version,
            description=api.description,
            openapi_url=openapi_url,
            sections=format_html_join("", "{}", ((section,) for section in sections)),
        )
        return HttpResponse(body)


def _operation_html(method: str, path: str, operation: dict) -> str:
    params = format_html_join(
        "",
        "<li><code>{}</code> ({}){}</li>",
        (
            (p["name"], p.get("in", ""), " required" if p.get("required") else "")
            for p in operation.get("parameters", [])
        ),
    )
    body = operation.get("requestBody", {}).get("content", {})
    answers = format_html_join(
        "",
        "<li><code>{}</code> {}</li>",
        ((code, answer.get("description", "")) for code, answer in operation["responses"].items()),
    )
    return format_html(
        "<section><h2><code>{} {}</code></h2><p>{}</p>"
        "<h3>Parameters</h3><ul>{}{}</ul><h3>Answers</h3><ul>{}</ul></section>",
        method.upper(),
        path,
        operation.get("description") or operation.get("summary", ""),
        params,
        format_html("<li>JSON body ({})</li>", ", ".join(body)) if body else "",
        answers,
    )
