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
