import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked to collect travellers instead of an address and to pay with Stripe."""

    name = "marketplace.shop.checkout"

    def ready(self):
        super().ready()
        self.travellers_view = get_class("checkout.views", "TravellersView")
        self.card_payment_view = get_class("checkout.views", "CardPaymentView")
        self.payment_return_view = get_class("checkout.views", "PaymentReturnView")
        self.payment_cancel_view = get_class("checkout.views", "PaymentCancelView")

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                path("travellers/", self.travellers_view.as_view(), name="travellers"),
                path("card/", self.card_payment_view.as_view(), name="card-payment"),
                path("card/return/", self.payment_return_view.as_view(), name="payment-return"),
                path("card/cancel/", self.payment_cancel_view.as_view(), name="payment-cancel"),
            ]
        )
        return urls
