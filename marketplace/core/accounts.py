"""Signing in and out of the shop's accounts, safely (logout by POST only, lockouts, throttles)."""

from django.conf import settings
from django.contrib.auth.views import LogoutView as DjangoLogoutView
from django.shortcuts import resolve_url
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
