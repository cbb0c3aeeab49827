"""OCTO's error: a code, a message for people and the offending id field, answered as
{"error": CODE, "errorMessage": "...", <field>: <value>} with HTTP 400 (401/403/429 for keys)."""


class OctoError(Exception):
    """An OCTO error: `code` (INVALID_PRODUCT_ID, BAD_REQUEST…), a message, the offending id fields."""

    def __init__(self, code: str, message: str, *, status: int = 400, headers: dict | None = None, **fields):
        super().__init__(message)
        self.code, self.message, self.status, self.fields, self.headers = code, message, status, fields, headers
