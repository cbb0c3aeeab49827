"""The feeds (no login: the secret token is the key) and the Calendars pages of the partner portal and
the operator area (login; the owner's own feeds only).

Feeds are mounted outside i18n_patterns (marketplace/urls.py) and end in ".ics": a calendar app gets a 200
on the exact URL, never a language redirect. An unknown or rotated token answers a plain 404: Django's
LocaleMiddleware would turn a 404 into a redirect only if the language-prefixed path resolved, and no
page route matches a path ending in ".ics" (tests/calendars check it through the whole middleware stack).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from marketplace.core.origin import public_url
from marketplace.octo.products import partner_bookable, partner_bookables
from marketplace.trade.emails import partner_language
from marketplace.trade.models import TradePartner
from marketplace.trade.views_portal import PortalMixin
from operators.models import OperatorMembership
from operators.views import OperatorAreaMixin

from .ical import CONTENT_TYPE, calendar_ics
from .models import CalendarFeedToken
from .selectors import availability_events, operator_booking_events, partner_booking_events
from .tokens import feed_token, feed_token_find, feed_token_rotate

Kind = CalendarFeedToken.Kind
AVAILABILITY_DAYS = 365  # "the coming 12 months", today included
BOOKINGS_PAST_DAYS = 90  # bookings a little in the past stay in the calendar


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The URL is the secret: no shared cache keeps it, no search engine lists it, no link leaks it.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _token(token: str, kind: str) -> CalendarFeedToken:
    row = feed_token_find(token=token, kind=kind)
    if row is None:
        raise Http404
    return row


def _approved_partner(row: CalendarFeedToken) -> TradePartner:
    """Feeds of a partner that is not approved answer 404, as its portal shows nothing but its status."""
    if row.partner.status != TradePartner.Status.APPROVED:
        raise Http404
    return row.partner


class AvailabilityFeedView(View):
    """One product's bookable slots or days over the coming 12 months, for the token's partner."""

    def get(self, request, token: str, product: str):
        partner = _approved_partner(_token(token, Kind.AVAILABILITY))
        item = partner_bookable(partner=partner, product_id=product)
        if item is None:
            raise Http404
        today = timezone.localdate()
        with translation.override(partner_language(partner)):
            events = availability_events(
                partner=partner, item=item, start=today, end=today + dt.timedelta(days=AVAILABILITY_DAYS - 1)
            )
            name = _("%(product)s: availability") % {"product": item.title}
            return _ics(calendar_ics(name=name, events=events), f"{item.key}.ics")


class PartnerBookingsFeedView(View):
    def get(self, request, token: str):
        partner = _approved_partner(_token(token, Kind.PARTNER_BOOKINGS))
        since = timezone.localdate() - dt.timedelta(days=BOOKINGS_PAST_DAYS)
        with translation.override(partner_language(partner)):
            events = partner_booking_events(partner=partner, since=since)
            name = _("%(partner)s: bookings") % {"partner": partner.legal_name}
            return _ics(calendar_ics(name=name, events=events), "bookings.ics")


class OperatorBookingsFeedView(View):
    def get(self, request, token: str):
        operator = _token(token, Kind.OPERATOR_BOOKINGS).operator
        since = timezone.localdate() - dt.timedelta(days=BOOKINGS_PAST_DAYS)
        with translation.override(settings.LANGUAGE_CODE):
            events = operator_booking_events(operator=operator, since=since)
            name = _("%(operator)s: bookings") % {"operator": operator.name}
            return _ics(calendar_ics(name=name, events=events), "bookings.ics")


def _feed_url(request, name: str, *args) -> str:
    """On the public origin (SITE_URL), never the request's host: the URL is copied into calendar apps."""
    return public_url(reverse(name, args=args))


def _webcal(url: str) -> str:
    """The same URL for one-click subscription (calendar apps register the webcal scheme)."""
    return "webcal://" + url.split("://", 1)[1]


# --- the pages ---------------------------------------------------------------------------------------


class PartnerCalendarsView(PortalMixin, View):
    """The partner's feed URLs: its bookings, and each product its contracts cover. Every user of the
    partner sees them; administrators rotate them (a leaked URL, a colleague who left)."""

    def on_get(self, request):
        bookings = feed_token(kind=Kind.PARTNER_BOOKINGS, partner=self.partner)
        availability = feed_token(kind=Kind.AVAILABILITY, partner=self.partner)
        bookings_url = _feed_url(request, "calendar-feeds:partner-bookings", bookings.token)
        products = [
            (item, url, _webcal(url))
            for item in partner_bookables(partner=self.partner)
            for url in [_feed_url(request, "calendar-feeds:availability", availability.token, item.key)]
        ]
        return self.render(
            "calendars/partner.html",
            bookings_url=bookings_url,
            bookings_webcal=_webcal(bookings_url),
            bookings_token=bookings,
            availability_token=availability,
            products=products,
        )


class PartnerCalendarRotateView(PortalMixin, View):
    def on_get(self, request):
        return redirect("calendars:partner")

    def on_post(self, request):
        if not self.is_admin:
            raise PermissionDenied(_("Only the partner's administrators change the calendar links."))
        kind = request.POST.get("kind")
        if kind not in (Kind.AVAILABILITY, Kind.PARTNER_BOOKINGS):
            return HttpResponse(status=400)
        feed_token_rotate(kind=kind, partner=self.partner)
        messages.success(request, _("New calendar links made: the old ones no longer work. Subscribe again."))
        return redirect("calendars:partner")


def _is_owner(user, operator) -> bool:
    return OperatorMembership.objects.filter(user=user, operator=operator, role=OperatorMembership.Role.OWNER).exists()


class OperatorCalendarsView(OperatorAreaMixin, TemplateView):
    """The operator's bookings feed URL; every member sees it, owners rotate it."""

    template_name = "calendars/operator.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = feed_token(kind=Kind.OPERATOR_BOOKINGS, operator=self.operator)
        url = _feed_url(self.request, "calendar-feeds:operator-bookings", row.token)
        context.update(
            feed_url=url, feed_webcal=_webcal(url), token=row, is_owner=_is_owner(self.request.user, self.operator)
        )
        return context


class OperatorCalendarRotateView(OperatorAreaMixin, View):
    def get(self, request):
        return redirect("calendars:operator")

    def post(self, request):
        if not _is_owner(request.user, self.operator):
            raise PermissionDenied(_("Only the operator's owners change the calendar link."))
        feed_token_rotate(kind=Kind.OPERATOR_BOOKINGS, operator=self.operator)
        messages.success(request, _("New calendar link made: the old one no longer works. Subscribe again."))
        return redirect("calendars:operator")
