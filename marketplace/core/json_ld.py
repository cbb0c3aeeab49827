"""schema.org JSON-LD inside a page: one way to write it safely.

The JSON goes into a <script> element, where the HTML parser ends the script at the first `</script>`
whatever the JSON says, and `<!--` changes how it reads on. So `<`, `>` and `&` in any text (a name an
operator typed, a page title) are written as JSON escapes (\\u003C…), which JSON parsers read back as the
same characters. Every JSON-LD of the site (pages, website, packages, operators, services, labels) goes
through here.
"""

import json

from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_text(data) -> SafeString:
    """`data` as JSON text safe inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False, default=str).translate(_ESCAPES))


def json_ld_script(data) -> SafeString:
    """`data` as a whole <script type="application/ld+json"> element."""
    return mark_safe(f'<script type="application/ld+json">{json_ld_text(data)}</script>')
