"""Security headers: one policy for the public site, a looser one for the staff areas.

The public site gets CONTENT_SECURITY_POLICY (inline scripts only with the request's nonce) and
`X-Frame-Options: DENY`. Wagtail's admin, Django's admin and Oscar's dashboard get
CONTENT_SECURITY_POLICY_STAFF and SAMEORIGIN: their libraries write inline scripts and Wagtail's preview
panel frames our pages. Both middlewares sit inside the page cache (cms/cache.py), which stores every header
with the page, so a cached hit answers exactly the headers of the miss (the nonce included: it is the one
written in the cached HTML).
"""

import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

STAFF_AREAS = re.compile(r"^/(admin|django-admin)/|^/[a-z]{2}(-[a-z]+)?/shop/dashboard/")


def is_staff_area(path: str) -> bool:
    return bool(STAFF_AREAS.match(path))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_staff_area(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_STAFF)
            parts.nonce = None
        return parts


def staff_frame_options_middleware(get_response):
    """SAMEORIGIN on the staff areas. Listed after Django's XFrameOptionsMiddleware (which keeps a header
    already set, and which `check --deploy` looks for by name), so everything else gets X_FRAME_OPTIONS."""

    def middleware(request):
        response = get_response(request)
        if is_staff_area(request.path_info) and not response.has_header("X-Frame-Options"):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    return middleware
