"""Reading requests: JSON object bodies only, and no NUL characters in query parameters."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja.parser import Parser


class NotAJsonObject(ValueError):
    """The body is JSON, but not an object."""


class JsonObjectParser(Parser):
    """Parse request bodies as JSON objects; anything else is a malformed request."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NotAJsonObject("The request body must be a JSON object.")
        return data


def nul_refuse(**params: list[str]) -> None:
    """Refuse query parameters holding NUL characters, which no database stores; name each.

    Answered as 422, field by field, like any other invalid input (see errors.py).
    """
    errors = {
        name: ["Null characters are not allowed."]
        for name, values in params.items()
        if any("\x00" in value for value in values)
    }
    if errors:
        raise ValidationError(errors)
