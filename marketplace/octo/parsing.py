"""The OCTO API's request parser: ninja's JSON and query parsing, refusing text with NUL characters.

PostgreSQL stores no NUL (0x00) in text or jsonb: a NUL in a note, a name or a query filter would reach the
database and fail there with a 500 (found by tests/octo/test_octo_schemathesis.py). Refused here, once for
every route, as BAD_REQUEST."""

from __future__ import annotations

import json

from ninja.parser import Parser

from .errors import OctoError

NUL = "\x00"


def has_nul(value) -> bool:
    """Whether a NUL character is anywhere in a parsed JSON value (strings, keys, nested lists and objects)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


class OctoParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if has_nul(data):
            # ninja answers any parser error as 400 "Cannot parse request body" (BAD_REQUEST here)
            raise ValueError("NUL character in the request body")
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        if has_nul(parsed):
            raise OctoError("BAD_REQUEST", "NUL characters are not accepted in query parameters.")
        return parsed
