"""Domain errors of the capacity service. Callers map them to answers: a form error, a 409, a 503."""

from django.utils.translation import gettext_lazy as _


class CapacityError(Exception):
    """Base of every error the capacity service raises on purpose."""


class SoldOut(CapacityError):
    """A slot of the requested set cannot take the requested places. Nothing was held.

    `slot_id` names the first slot (in lock order) that failed, `requested` and `available` say by how
    much (`available` is None when the slot is not bookable at all), `reason` is one of REASONS."""

    REASONS = {
        "sold_out": _("Not enough places left."),
        "closed": _("This date is closed."),
        "past_cutoff": _("This date can no longer be booked."),
        "not_sellable": _("This service is not on sale."),
        "missing": _("This date does not exist."),
    }

    def __init__(self, *, slot_id: int, requested: int, available: int | None, reason: str = "sold_out"):
        self.slot_id = slot_id
        self.requested = requested
        self.available = available
        self.reason = reason
        super().__init__(f"slot {slot_id}: {reason} (requested {requested}, available {available})")

    @property
    def message(self) -> str:
        return str(self.REASONS.get(self.reason, self.REASONS["sold_out"]))


class LockTimeout(CapacityError):
    """The slot rows stayed locked by others longer than CAPACITY_LOCK_TIMEOUT: try again.

    Tasks retry, web views answer "busy, try again", webhooks answer 503 so the sender retries."""

    message = _("Many people are booking this right now. Please try again in a moment.")


class HoldNotFound(CapacityError):
    """confirm() found neither a hold nor reservations under the reference."""


class NoRate(Exception):
    """No price is defined for this service on this date for some member of the party."""

    def __init__(self, *, service_id: int, on, category: str):
        self.service_id = service_id
        self.on = on
        self.category = category
        super().__init__(f"service {service_id} has no {category} rate on {on}")
