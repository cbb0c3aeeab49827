from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = _("Packages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Destination pages embed packages through the cms's offer registry (cms/offers.py).
        from cms.offers import register_offer_provider

        from .offers import PackageOfferProvider

        register_offer_provider(PackageOfferProvider())
