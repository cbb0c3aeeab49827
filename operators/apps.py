from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    name = "operators"
    verbose_name = _("Operators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Operators plug their services into the destination pages' offer registry. The import stays
        # inside ready() and behind the check: cms reads operators, never the other way round, and
        # operators runs (operator area, shop, trade) on a site without the cms.
        if apps.is_installed("cms"):
            from cms.offers import register_offer_provider

            from .offers import OperatorOfferProvider, ServiceOfferProvider

            register_offer_provider(ServiceOfferProvider())
            register_offer_provider(OperatorOfferProvider())
