"""Outgoing HTTP to addresses that users give us (an operator's iCal feed, a partner's webhook URL).

Such a URL must not make our server reach the internal network (SSRF): `check_public_url` refuses
anything but http(s) to a host whose every address is on the public internet (not private, loopback,
link-local, multicast or reserved). Callers check at save time (a form error) and again right before
each request (DNS may have changed since), and never follow redirects blindly (each hop is checked, or
redirects are refused).

Each caller has its own switch to let private hosts through (tests with a local server, a channel
manager on a private network): ICAL_ALLOW_PRIVATE_HOSTS for the iCal import, WEBHOOK_ALLOW_PRIVATE_HOSTS
for webhooks. The switch is passed in, so this module reads no setting.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext as _


class UnsafeURL(ValueError):
    """A URL we refuse to fetch; `code` says why: "scheme" (not http/https or no host), "unresolved"
    (DNS failed: `message` carries the resolver's error) or "private" (an address off the internet)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def check_public_url(url: str, *, allow_private: bool = False) -> None:
    """Raise UnsafeURL unless `url` is http(s) to a host whose addresses are all public.

    `allow_private` skips the address check (never the scheme check)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a malformed port or IPv6 literal
        raise UnsafeURL("scheme", _("Give an http or https address.")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("scheme", _("Give an http or https address."))
    if allow_private:
        return
    default_port = 443 if parts.scheme == "https" else 80
    try:
        infos = socket.getaddrinfo(parts.hostname, port or default_port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL("unresolved", str(exc)) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise UnsafeURL("private", _("This address is not on the public internet."))
