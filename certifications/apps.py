from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certified-brand labels")

    def ready(self):
        from . import receivers
        from .models import Scheme

        # Schemes are edited in the admin (no service in between): their name and logo are part of
        # every cached label, so any save or delete invalidates the label cache.
        post_save.connect(receivers.scheme_saved, sender=Scheme, dispatch_uid="certifications.scheme_saved")
        post_delete.connect(receivers.scheme_saved, sender=Scheme, dispatch_uid="certifications.scheme_deleted")

        # The operator area's dashboard shows the labels about to expire (operators' card registry).
        from operators.home_cards import register_home_card

        from .selectors import expiring_labels_card

        register_home_card("certifications.expiring", expiring_labels_card)
