"""Webhooks: a partner's system hears of its bookings' changes, signed, retried with backoff through
Celery until it answers 2xx, logged for the partner and staff, sent again by hand; URLs off the public
internet are refused when saved and when sent; a partner only ever sees its own."""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.roles import Role
from marketplace.octo.models import Webhook, WebhookDelivery
from marketplace.octo.webhooks import webhook_save, webhook_secret_for, webhook_signature_valid
from marketplace.trade.bookings import TradeRequest, trade_book, trade_cancel
from marketplace.trade.models import PartnerMembership
from operators.pricing import Party
from tests.factories import UserFactory
from tests.packages.factories import priced_service
from tests.trade.factories import ContractFactory, PartnerMembershipFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's system on 127.0.0.1: answers the scripted statuses in turn (then the last one), and
    records every request's headers and body."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/octo/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the receiver is on the loopback
    settings.WEBHOOK_RETRY_SCHEDULE = [0, 0, 0, 0, 0]
    made = []

    def make(statuses=(200,)):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture
def world():
    service = priced_service(adult="50.00", capacity=8, days=40)
    contract = ContractFactory()
    member = PartnerMembershipFactory(partner=contract.partner)
    return {"service": service, "partner": contract.partner, "user": member.user}


def book(world, days=10):
    return trade_book(
        partner=world["partner"], user=world["user"],
        request=TradeRequest(product=world["service"], on=timezone.localdate() + dt.timedelta(days=days),
                             party=Party(adults=2), lead_first_name="Anna", lead_last_name="Schmidt"),
    )  # fmt: skip


def verify(headers: dict, body: bytes, secret: str) -> bool:
    """The receiver's side, as docs/octo.md shows it (independent of our own helper)."""
    fields = dict(part.split("=", 1) for part in headers["Octo-Signature"].split(","))
    if abs(time.time() - int(fields["t"])) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_a_receiver_failing_twice_gets_the_booking_on_the_third_attempt_signed(
    world, receiver_factory, django_capture_on_commit_callbacks
):
    receiver = receiver_factory(statuses=(500, 500, 200))
    webhook_save(partner=world["partner"], url=receiver.url)
    secret = webhook_secret_for(partner=world["partner"]).secret

    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the retries run in-process
        booking = book(world)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.event) == ("delivered", 3, "confirmed")
    assert delivery.last_status_code == 200 and delivery.last_error == "" and delivery.delivered_at
    assert len(receiver.requests) == 3
    bodies = {body for _headers, body in receiver.requests}
    assert bodies == {delivery.payload.encode()}  # the same bytes every time
    for headers, body in receiver.requests:
        assert verify(headers, body, secret)
        assert webhook_signature_valid(header=headers["Octo-Signature"], body=body, secret=secret)
        assert not verify(headers, body.replace(b"Anna", b"Anne"), secret)
        assert headers["Content-Type"].startswith("application/json") and headers["Octo-Event"] == "confirmed"
    sent = json.loads(receiver.requests[-1][1])
    assert sent["event"] == "booking_update" and sent["change"] == "confirmed" and sent["eventId"]
    assert sent["booking"]["uuid"] == str(booking.uuid) and sent["booking"]["status"] == "CONFIRMED"
    assert "pricing" in sent["booking"]  # octo/pricing asked


def test_an_old_timestamp_or_another_secret_does_not_verify(world):
    from marketplace.octo.webhooks import webhook_sign

    header = webhook_sign(secret="whsec_a", body=b"{}", timestamp=int(time.time()) - 3600)
    assert not webhook_signature_valid(header=header, body=b"{}", secret="whsec_a")
    header = webhook_sign(secret="whsec_a", body=b"{}", timestamp=int(time.time()))
    assert webhook_signature_valid(header=header, body=b"{}", secret="whsec_a")
    assert not webhook_signature_valid(header=header, body=b"{}", secret="whsec_b")
    assert not webhook_signature_valid(header="nonsense", body=b"{}", secret="whsec_a")


def test_after_the_last_attempt_it_fails_and_the_partner_sends_it_again(
    client, world, receiver_factory, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_SCHEDULE = [0, 0]  # three attempts
    receiver = receiver_factory(statuses=(503,))
    webhook_save(partner=world["partner"], url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        book(world)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, 503)
    assert "503" in delivery.last_error and delivery.next_attempt_at is None

    client.force_login(world["user"])
    with translation.override("en"):
        url = reverse("octo-portal:webhooks")
        log = client.get(url, {"status": "failed"})
        assert log.status_code == 200 and [d.pk for d in log.context["deliveries"]] == [delivery.pk]
        assert "Send again" in log.content.decode()
        receiver.statuses = [200]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("octo-portal:webhooks-send-again", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 4)
    assert len(receiver.requests) == 4


def test_only_chosen_events_are_sent_and_a_cancellation_is_one(
    world, receiver_factory, django_capture_on_commit_callbacks
):
    receiver = receiver_factory()
    webhook_save(partner=world["partner"], url=receiver.url, events=["cancelled"])
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world)
    assert not WebhookDelivery.objects.exists() and receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        trade_cancel(booking=booking, by=world["user"])
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.status) == ("cancelled", "delivered")
    assert json.loads(receiver.requests[0][1])["booking"]["status"] == "CANCELLED"


def test_redirects_are_not_followed(world, receiver_factory, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_RETRY_SCHEDULE = []
    receiver = receiver_factory(statuses=(302,))
    webhook_save(partner=world["partner"], url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        book(world)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, 302)
    assert len(receiver.requests) == 1  # nothing went to the Location


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]/x",
            "http://localhost/hook", "ftp://example.com/hook"],
)  # fmt: skip
def test_private_or_loopback_urls_are_refused_on_the_form(client, world, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    client.force_login(world["user"])
    with translation.override("en"):
        response = client.post(reverse("octo-portal:webhooks"), {"url": url, "active": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not Webhook.objects.exists()


def test_a_url_that_turned_private_is_not_called_at_send_time(
    world, receiver_factory, settings, django_capture_on_commit_callbacks
):
    receiver = receiver_factory()
    webhook_save(partner=world["partner"], url=receiver.url)
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    settings.WEBHOOK_RETRY_SCHEDULE = []
    with django_capture_on_commit_callbacks(execute=True):
        book(world)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.last_status_code is None and delivery.last_error
    assert receiver.requests == []


def test_the_partner_adds_edits_removes_webhooks_and_rotates_the_secret(client, world, receiver_factory):
    receiver = receiver_factory()
    client.force_login(world["user"])
    with translation.override("en"):
        url = reverse("octo-portal:webhooks")
        assert url in client.get(reverse("trade:home")).content.decode()
        response = client.post(url, {"url": receiver.url, "events": ["confirmed", "cancelled"], "active": "on"})
        assert response.status_code == 302
        webhook = Webhook.objects.get()
        assert (webhook.partner, webhook.events, webhook.active) == (world["partner"], ["confirmed", "cancelled"], True)
        page = client.get(url)
        secret = webhook_secret_for(partner=world["partner"]).secret
        assert secret in page.content.decode() and "no-store" in page["Cache-Control"]

        edit = reverse("octo-portal:webhooks-edit", args=[webhook.pk])
        assert client.get(edit).status_code == 200
        assert client.post(edit, {"url": receiver.url + "/v2"}).status_code == 302
        webhook.refresh_from_db()
        assert (webhook.url, webhook.events, webhook.active) == (receiver.url + "/v2", [], False)

        assert client.post(reverse("octo-portal:webhooks-rotate")).status_code == 302
        assert webhook_secret_for(partner=world["partner"]).secret not in (secret, "")

        assert client.post(reverse("octo-portal:webhooks-delete", args=[webhook.pk])).status_code == 302
    assert not Webhook.objects.exists()


def test_a_partner_never_sees_another_partners_webhooks_or_deliveries(
    client, world, receiver_factory, django_capture_on_commit_callbacks
):
    receiver = receiver_factory()
    webhook = webhook_save(partner=world["partner"], url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        book(world)
    delivery = WebhookDelivery.objects.get()
    stranger = PartnerMembershipFactory(partner=ContractFactory().partner)
    client.force_login(stranger.user)
    with translation.override("en"):
        page = client.get(reverse("octo-portal:webhooks"))
        assert page.status_code == 200 and receiver.url not in page.content.decode()
        assert list(page.context["deliveries"]) == []
        assert webhook_secret_for(partner=world["partner"]).secret not in page.content.decode()
        for name, arg in (("webhooks-edit", webhook.pk), ("webhooks-delete", webhook.pk),
                          ("webhooks-send-again", delivery.pk)):  # fmt: skip
            assert (
                client.post(reverse(f"octo-portal:{name}", args=[arg]), {"url": "https://x.example/"}).status_code
                == 404
            )
        assert client.get(reverse("octo-portal:webhooks-edit", args=[webhook.pk])).status_code == 404
    webhook.refresh_from_db()
    assert webhook.url == receiver.url


def test_bookers_cannot_manage_webhooks(client, world):
    booker = PartnerMembershipFactory(partner=world["partner"], role=PartnerMembership.Role.BOOKER)
    client.force_login(booker.user)
    with translation.override("en"):
        url = reverse("octo-portal:webhooks")
        assert url not in client.get(reverse("trade:home")).content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, {"url": "https://hooks.example.com/x"}).status_code == 403
        assert client.post(reverse("octo-portal:webhooks-rotate")).status_code == 403
    assert not Webhook.objects.exists()


def test_staff_read_the_log_and_send_again(
    client, world, receiver_factory, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_SCHEDULE = []
    receiver = receiver_factory(statuses=(500, 200))
    webhook_save(partner=world["partner"], url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    client.force_login(UserFactory(role=Role.STAFF))
    with translation.override("en"):
        index = reverse("octo_deliveries:index")
        assert index in client.get("/admin/").content.decode()
        listing = client.get(index, {"status": "failed", "webhook__partner": world["partner"].pk}).content.decode()
        assert booking.code in listing
        assert booking.code not in client.get(index, {"status": "delivered"}).content.decode()
        detail = reverse("octo_deliveries:detail", args=[delivery.pk])
        page = client.get(detail).content.decode()  # Wagtail's admin speaks the site's language
        with translation.override(settings.LANGUAGE_CODE):
            assert translation.gettext("Send again") in page
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(detail).status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_delivery_being_retried_cannot_be_sent_twice(world, receiver_factory):
    from django.core.exceptions import ValidationError

    from marketplace.octo.webhooks import webhook_send_again

    webhook = webhook_save(partner=world["partner"], url=receiver_factory().url)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, booking=book(world), event="confirmed", payload="{}", next_attempt_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        webhook_send_again(delivery=delivery)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(hours=1))
    delivery.refresh_from_db()
    assert webhook_send_again(delivery=delivery).status == "pending"  # its task was lost: allowed
