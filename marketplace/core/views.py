from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.decorators.cache import never_cache

from .health import health_report
from .roles import Role, user_role

# Where each role's work is (a partner account without a company is sent on to the trade sign-up).
# The tourist's target is the profile page itself, never Oscar's account summary: the summary redirects
# to OSCAR_ACCOUNTS_REDIRECT_URL, so pointing one at the other loops.
ROLE_LANDING_URLS: dict[Role, str] = {
    Role.STAFF: "wagtailadmin_home",
    Role.OPERATOR: "operator-area:home",
    Role.PARTNER: "trade:home",
    Role.TOURIST: "customer:profile-view",
}


class RoleLandingView(LoginRequiredMixin, View):
    """After login, send each user to the place where its role works."""

    def get(self, request):
        return redirect(reverse(ROLE_LANDING_URLS[user_role(request.user)]))


@never_cache
def healthz(request):
    """200 when every configured backend answers, 503 otherwise; the body says which one failed."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
