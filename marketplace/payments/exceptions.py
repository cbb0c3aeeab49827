class PaymentError(Exception):
    """A payment could not be created or refunded; the message is safe to show to staff."""


class LockTimeout(Exception):
    """Another process holds the payment row: try again later (the webhook answers 503, Stripe retries)."""


class OrderAlreadyCancelled(PaymentError):
    """The order was cancelled before (another click, another staff member): nothing was changed."""
