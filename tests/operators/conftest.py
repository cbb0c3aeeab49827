import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from operators.capacity import capacity_book
from operators.models import ExternalCalendar, OperatorPhoto, Slot
from operators.services import rule_generate_slots

from .factories import MembershipFactory, RateFactory, RuleFactory, SeasonFactory, ServiceFactory


def image_upload(name="photo.png", size=(2400, 1200), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def operator_world(name: str):
    """An operator with an owner, a service with a season, a rate, a rule and its slots, a booking,
    a photo and an external calendar: one of every object the operator area shows."""
    membership = MembershipFactory(operator__name=name)
    operator = membership.operator
    service = ServiceFactory(operator=operator)
    season = SeasonFactory(service=service)
    rate = RateFactory(season=season)
    start = dt.date.today() + dt.timedelta(days=5)
    rule = RuleFactory(service=service, starts_on=start, ends_on=start + dt.timedelta(days=3), weekdays="")
    rule_generate_slots(rule=rule)
    slot = Slot.objects.filter(service=service).order_by("date", "start_time").first()
    capacity_book(items=[(slot, 2)], reference=f"order-line:{name}")
    photo = OperatorPhoto.objects.create(operator=operator, image=image_upload())
    calendar = ExternalCalendar.objects.create(service=service, url="https://example.com/cal.ics")
    return {
        "user": membership.user, "membership": membership, "operator": operator, "service": service,
        "season": season, "rate": rate, "rule": rule, "slot": slot, "photo": photo, "calendar": calendar,
    }  # fmt: skip


@pytest.fixture
def world_a(db):
    return operator_world("Fattoria di Camigliano")


@pytest.fixture
def world_b(db):
    return operator_world("Guide del Casentino")


def public_operator(*, name="Agriturismo Le Pizzorne", municipality="capannori", services=2, photos=1, **fields):
    """An approved operator as the public sees it: coordinates, texts in two languages, photos and
    `services` active per-person services, each with a year-long season, an adult rate and slots
    every day from tomorrow on (so "price from" and "next dates" have something to show)."""
    from django.utils import timezone

    from .factories import OperatorFactory

    defaults = {
        "latitude": "43.881000",
        "longitude": "10.573000",
        "phone": "+39 0583 000111",
        "website": "https://pizzorne.example",
        "description_it": "Olio e vino sulle colline di Lucca.",
        "description_en": "Oil and wine on the Lucca hills.",
    }
    operator = OperatorFactory(name=name, municipality=municipality, **{**defaults, **fields})
    today = timezone.localdate()
    made = []
    for index in range(services):
        service = ServiceFactory(operator=operator, name_it=f"Degustazione {index}", name_en=f"Tasting {index}")
        season = SeasonFactory(service=service, starts_on=today, ends_on=today + dt.timedelta(days=365))
        RateFactory(season=season, amount=Decimal(30 + index))
        rule = RuleFactory(service=service, starts_on=today + dt.timedelta(days=1),
                           ends_on=today + dt.timedelta(days=20), weekdays="", start_times="10:00")  # fmt: skip
        rule_generate_slots(rule=rule)
        made.append(service)
    for index in range(photos):
        OperatorPhoto.objects.create(operator=operator, image=image_upload(size=(64, 48)), position=index)
    return operator, made
