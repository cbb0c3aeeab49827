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

        # Destination pages embed packages through the cms's offer registry (cms/offers.py).
        from cms.offers import register_offer_provider

        from .offers import PackageOfferProvider

        register_offer_provider(PackageOfferProvider())
