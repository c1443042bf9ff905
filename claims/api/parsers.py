"""The API's one body parser: JSON, UTF-8, with its nesting depth bounded before parsing.

DRF's JSONParser hands the body to ``json.load``, whose recursion on a body nested 100,000
deep raised RecursionError (a 500). This one checks the depth first with a linear scan
(``claims.validation.json_loads``) and answers 400 ``malformed_request`` naming the limit."""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from claims.validation import JSONTooDeep, json_loads


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"The body is not UTF-8 (bad byte at {exc.start}).") from exc
        limit = int(getattr(settings, "API_JSON_MAX_DEPTH", 32))
        try:
            return json_loads(text, max_depth=limit)
        except JSONTooDeep as exc:
            raise ParseError(f"The JSON body nests deeper than {exc.limit} levels.") from exc
        except ValueError as exc:
            raise ParseError(f"The body is not valid JSON: {exc}") from exc
