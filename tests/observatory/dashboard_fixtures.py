"""A small destination with real bookings for the observatory's screens: two operators in the two areas,
two trade partners, bookings through the trade service (each refreshed into facts as the receivers do
after the commit). Prices are odd on purpose, so one operator's or partner's money cannot be mistaken
for another's in a page or an export."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone
from wagtail.users.models import UserProfile

from marketplace.core.roles import Role, role_groups_sync
from marketplace.observatory.facts import facts_refresh_trade_booking
from marketplace.trade.bookings import TradeRequest, trade_book
from operators.pricing import Party
from tests.factories import UserFactory
from tests.operators.factories import MembershipFactory
from tests.packages.factories import priced_service
from tests.trade.factories import ContractFactory, PartnerMembershipFactory


def _book(partner, service, on, adults, children_ages=()):
    booking = trade_book(
        partner=partner,
        user=None,
        request=TradeRequest(
            product=service,
            on=on,
            party=Party(adults=adults, children_ages=tuple(children_ages)),
            lead_first_name="Anna",
            lead_last_name="Schmidt",
        ),  # fmt: skip
    )
    facts_refresh_trade_booking(booking.pk)
    return booking


def make_destination():
    """Villa Oliva (Lucca) and Fattoria Segreta (Poppi, Casentino); partners Reisen Nord and Voyages Sud.
    Reisen Nord books the villa twice and the tasting once; Voyages Sud books the tasting once."""
    role_groups_sync()
    today = timezone.localdate()
    villa_member = MembershipFactory(operator__name="Villa Oliva", operator__municipality="lucca")
    secret_member = MembershipFactory(operator__name="Fattoria Segreta", operator__municipality="poppi")
    villa = priced_service(operator=villa_member.operator, name="Camera in villa", adult="97.00", child="41.00")
    tasting = priced_service(operator=secret_member.operator, name="Degustazione segreta", adult="313.00",
                             child=None)  # fmt: skip
    nord = PartnerMembershipFactory(partner__legal_name="Reisen Nord GmbH", partner__country="DE")
    sud = PartnerMembershipFactory(partner__legal_name="Voyages Sud SARL", partner__country="FR")
    ContractFactory(partner=nord.partner)
    ContractFactory(partner=sud.partner)
    bookings = [
        _book(nord.partner, villa, today + dt.timedelta(days=5), adults=2, children_ages=(8,)),
        _book(nord.partner, villa, today + dt.timedelta(days=12), adults=3),
        _book(nord.partner, tasting, today + dt.timedelta(days=7), adults=2),
        _book(sud.partner, tasting, today + dt.timedelta(days=9), adults=4),
    ]
    staff = UserFactory(role=Role.STAFF)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"  # Wagtail's admin speaks the user's language (the site's is Italian)
    profile.save()
    return SimpleNamespace(
        today=today,
        villa=villa,
        tasting=tasting,
        villa_user=villa_member.user,
        secret_user=secret_member.user,
        nord=nord.partner,
        sud=sud.partner,
        nord_user=nord.user,
        sud_user=sud.user,
        staff=staff,
        bookings=bookings,
        # Travel dates of every booking: the pages are asked for this period.
        period={"start": today.isoformat(), "end": (today + dt.timedelta(days=40)).isoformat()},
    )
