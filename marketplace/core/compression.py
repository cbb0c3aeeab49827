"""Pages compressed on the way out: gzip for text answers (HTML, JSON, feeds), nothing else.

Static files are compressed once at collectstatic (whitenoise's .br and .gz, served before this middleware
runs); what remains is what Django renders. Django's GZipMiddleware would also re-compress photos, PDFs and
archives (no gain, and their Content-Length lost), so this one only takes text types. Django pads each
compressed answer with random bytes (its "Heal The Breach" mitigation of BREACH), and our CSRF tokens are
masked per response, so compressing pages with a form on them stays safe.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = {
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
}


def is_text(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in COMPRESSIBLE or media_type.endswith(("+json", "+xml"))


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_text(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
