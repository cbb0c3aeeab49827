from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = _("Packages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete
        from oscar.apps.basket.models import Line

        from .receivers import basket_line_deleted

        # A package line removed from the basket gives its places back at once (receivers.py says why).
        post_delete.connect(basket_line_deleted, sender=Line, dispatch_uid="packages.basket_line_deleted")

        # A service sold alone is an automatic one-component package (services.service_package_sync):
        # whatever changes whether or how it sells re-syncs it after the commit.
        from django.db.models.signals import post_save

        from operators.models import AvailabilityRule, Operator, OperatorPhoto, Rate, Season, Service
        from operators.signals import availability_changed

        from .receivers import (
            operator_changed,
            rate_changed,
            service_availability_changed,
            service_changed,
            service_part_changed,
        )

        availability_changed.connect(service_availability_changed, dispatch_uid="packages.single.availability")

        post_save.connect(service_changed, sender=Service, dispatch_uid="packages.single.service")
        post_save.connect(operator_changed, sender=Operator, dispatch_uid="packages.single.operator")
        post_save.connect(rate_changed, sender=Rate, dispatch_uid="packages.single.rate")
        post_delete.connect(rate_changed, sender=Rate, dispatch_uid="packages.single.rate_deleted")
        for model in (Season, AvailabilityRule, OperatorPhoto):
            uid = f"packages.single.{model.__name__.lower()}"
            post_save.connect(service_part_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(service_part_changed, sender=model, dispatch_uid=f"{uid}_deleted")

        # The operators' public pages show a "Book" button leading to a service's automatic package.
        from operators.booking_links import register_book_link_provider

        from .services import single_service_book_links

        register_book_link_provider(single_service_book_links)

        # The operator area lists the shop's bookings of an operator's services and checks in their vouchers.
        from operators.channels import register_channel_provider

        from .operator_side import ShopOperatorSide

        register_channel_provider(ShopOperatorSide())

        from operators.home_cards import register_home_card

        from .operator_side import month_revenue_card

        register_home_card("packages.month", month_revenue_card)

        # Destination pages embed packages through the cms's offer registry (cms/offers.py).
        from cms.offers import register_offer_provider

        from .offers import PackageOfferProvider

        register_offer_provider(PackageOfferProvider())
