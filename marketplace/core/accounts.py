"""Signing in and out of the shop's accounts, safely (logout by POST only, lockouts, throttles)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.views import LogoutView as DjangoLogoutView
from django.shortcuts import render, resolve_url
from wagtail.admin.views.account import LogoutView as WagtailLogoutView


class LogoutView(DjangoLogoutView):
    """Oscar's `customer:logout` logged out on GET, so any page could log a visitor out with an <img>.

    Django's LogoutView answers POST only (GET: 405); Oscar's cookies are dropped as Oscar's view did.
    """

    def get_default_redirect_url(self):
        return resolve_url(settings.OSCAR_HOMEPAGE)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response


class AdminLogoutView(WagtailLogoutView):
    """Wagtail's admin logout answers GET with 405 but still deletes the session cookie on the way out,
    which logs the browser out all the same: refuse anything but POST before it runs."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in ("post", "options"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' gate, first in AUTHENTICATION_BACKENDS: a locked-out account or address is refused.

    Every login form (shop, Wagtail admin, Django admin) authenticates with the request. Code that checks a
    password without one (Oscar logs a new account in right after registering it) is not a login attempt
    from outside, so it passes here instead of failing on axes' "request required".
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials) -> str:
    """The account a login attempt is counted against: Oscar logs in by e-mail, case-insensitively."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, in the site's style and language, with 429 (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)
