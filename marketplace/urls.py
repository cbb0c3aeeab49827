from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import SITEMAPS
from cms.views import robots_txt
from marketplace.core.accounts import (
    ActivateAccountView,
    AdminLogoutView,
    AdminPasswordResetView,
    LogoutView,
    PrivateAccountAuthView,
    PrivateAccountRegistrationView,
    RegisteredView,
    password_reset_view,
)
from marketplace.core.views import RoleLandingView, healthz
from packages.views import PackageCatalogueView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/logout/", AdminLogoutView.as_view(), name="wagtailadmin_logout"),  # POST only, cookie kept on GET
    path("admin/password_reset/", AdminPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Stripe posts here: outside i18n_patterns, so the URL registered at Stripe never changes.
    path("", include("marketplace.payments.urls")),
    # The OCTO API for partners' systems: outside i18n_patterns, no trailing slashes, never redirected.
    path("", include("marketplace.octo.urls")),
    # Calendar feeds (iCal) on secret URLs: outside i18n_patterns, so a calendar app gets its 200 at once.
    path("", include("marketplace.calendars.urls_feeds")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
]

if settings.SERVE_MEDIA:
    from django.urls import re_path

    from marketplace.core.media import media_serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media_serve)]

urlpatterns += i18n_patterns(
    path("welcome/", RoleLandingView.as_view(), name="role-landing"),
    # The shop's listing reads packages from the database (Oscar's CatalogueView needs a search index):
    # same path as Oscar's, placed first, so reverse("catalogue:index") still points here.
    path("shop/catalogue/", PackageCatalogueView.as_view(), name="package-catalogue"),
    # Logout by POST only (Oscar's logs out on GET); same path as Oscar's, so reverse("customer:logout") holds.
    path("shop/accounts/logout/", LogoutView.as_view(), name="logout"),
    # Sign-up that never tells whether an e-mail has an account, and throttled password resets (same paths).
    # Also: staff land in Wagtail's admin after login (Oscar sends them to its dashboard).
    path("shop/accounts/login/", PrivateAccountAuthView.as_view(), name="customer-login"),
    path("shop/accounts/register/", PrivateAccountRegistrationView.as_view(), name="customer-register"),
    path("shop/accounts/registered/", RegisteredView.as_view(), name="account-registered"),
    path("shop/accounts/activate/<str:uidb64>/<str:token>/", ActivateAccountView.as_view(), name="account-activate"),
    path("shop/password-reset/", password_reset_view, name="password-reset"),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("labels/", include("certifications.urls")),
    # The Calendars pages of the partner portal (trade/calendars/) and of the operator area (operators/calendars/).
    path("", include("marketplace.calendars.urls_pages")),
    # The operators' own area (profile, services, rates, calendar, bookings) and their sign-up.
    path("operators/", include("operators.urls", namespace="operator-area")),
    # Approved operators and their services as tourists see them (before the pages' catch-all).
    path("local/", include("operators.urls_public", namespace="operators-public")),
    # Packages: add to basket with date and party, cancel an order, operators' statements.
    path("packages/", include("packages.urls", namespace="packages")),
    # The portal's API keys and webhooks (the OCTO app's pages, in the portal's look), then the trade
    # partners' portal, sign-up and users (B2B).
    path("trade/api/", include("marketplace.octo.urls_portal", namespace="octo-portal")),
    path("trade/", include("marketplace.trade.urls", namespace="trade")),
    # The observatory's open data (aggregates, CC BY 4.0) and its DCAT-AP_IT catalogue: stable URLs.
    path("open-data/", include("marketplace.observatory.urls_opendata")),
    path("", include("cms.urls")),
    path("", include("cms.urls_legal")),  # legal-terms, legal-privacy: no namespace, for every template
    # Wagtail's catch-all comes last: everything else is a destination page.
    path("", include(wagtail_urls)),
)
