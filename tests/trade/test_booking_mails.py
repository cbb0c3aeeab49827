"""The mails of partner bookings: the partner in its language, each operator its own part only."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel, trade_part_decide
from operators.pricing import Party
from tests.packages.factories import make_package, priced_service

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


def ask(product, days=10):
    return TradeRequest(product=product, on=timezone.localdate() + dt.timedelta(days=days), party=Party(adults=2),
                        lead_first_name="Anna", lead_last_name="Schmidt", partner_reference="TR-77")  # fmt: skip


def test_a_confirmed_package_mails_the_partner_in_german_and_each_operator_its_part(django_capture_on_commit_callbacks):
    hotel, winery = priced_service(name="Villa Rosa"), priced_service(name="Degustazione in cantina")
    hotel.operator.email, winery.operator.email = "hotel@example.com", "cantina@example.com"
    hotel.operator.save()
    winery.operator.save()
    contract = ContractFactory(partner__country="DE", partner__billing_email="buchhaltung@reisen.example")
    with django_capture_on_commit_callbacks(execute=True):
        booking = trade_book(partner=contract.partner, user=None, request=ask(make_package(services=[hotel, winery])))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"buchhaltung@reisen.example", "hotel@example.com", "cantina@example.com"}
    partner_mail = by_recipient["buchhaltung@reisen.example"]
    assert booking.code in partner_mail.subject and "TR-77" in partner_mail.body
    assert "bestätigt" in partner_mail.subject  # German
    assert "Villa Rosa" in by_recipient["hotel@example.com"].body
    assert "Villa Rosa" not in by_recipient["cantina@example.com"].body


def test_on_request_asks_the_operator_and_tells_the_partner_the_answer(django_capture_on_commit_callbacks):
    guide = priced_service(on_request=True)
    guide.operator.email = "guida@example.com"
    guide.operator.save()
    contract = ContractFactory(partner__country="US", partner__billing_email="ops@trails.example")
    with django_capture_on_commit_callbacks(execute=True):
        booking = trade_book(partner=contract.partner, user=None, request=ask(guide))
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "waiting for the operator" in subjects["ops@trails.example"]
    assert booking.code in subjects["guida@example.com"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        trade_part_decide(booking=booking, operator=guide.operator, confirm=False, reason="Guide ill")
    partner_mail = next(m for m in mail.outbox if m.to == ["ops@trails.example"])
    assert "declined" in partner_mail.subject and "Guide ill" in partner_mail.body


def test_a_cancellation_tells_both_sides(django_capture_on_commit_callbacks):
    service = priced_service()
    service.operator.email = "op@example.com"
    service.operator.save()
    contract = ContractFactory(partner__country="US")
    booking = trade_book(partner=contract.partner, user=None, request=ask(service))
    with django_capture_on_commit_callbacks(execute=True):
        trade_cancel(booking=booking)
    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert set(by_recipient) == {contract.partner.billing_email, "op@example.com"}
    assert "cancelled" in by_recipient[contract.partner.billing_email]  # a US partner: English
    assert "annullata" in by_recipient["op@example.com"]  # operators read the site's Italian


def test_amounts_in_the_partners_mails_are_written_the_sites_one_way(django_capture_on_commit_callbacks):
    """Money as the partner's language writes it (marketplace.core.money.format_money), never "120.00 €"."""
    from django.utils import translation

    from marketplace.core.money import format_money

    contract = ContractFactory(partner__country="US", partner__billing_email="ops@trails.example")
    with django_capture_on_commit_callbacks(execute=True):
        booking = trade_book(partner=contract.partner, user=None, request=ask(priced_service(), days=40))
    with translation.override("en"):
        net = format_money(booking.net_amount)
    assert net.startswith("€")
    body = next(m for m in mail.outbox if m.to == ["ops@trails.example"]).body
    assert f"Net amount on your account: {net}." in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = trade_cancel(booking=booking)
    with translation.override("en"):
        fee = format_money(cancelled.cancellation_fee or 0)
    body = next(m for m in mail.outbox if m.to == ["ops@trails.example"]).body
    assert f"Cancellation fee: {fee}." in body and " €." not in body
