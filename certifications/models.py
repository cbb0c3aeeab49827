"""Certified-brand labels: schemes, awards to any allowed subject, and the history of every award.

An award points at its subject (an operator, a service, a package…) through a generic relation, so
this app reads nothing of the apps whose rows it labels (DESIGN.md: no dependency cycles). Which
models may hold awards is a setting (CERTIFICATION_SUBJECT_MODELS); each scheme narrows it further
with its own "awardable to" list.

Models hold data and constraints only: every state change goes through certifications/services.py,
which writes an AwardEvent for it, and every read that decides what the public sees goes through
certifications/selectors.py.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.core.history import history_tags

from .validators import validate_logo


def scheme_logo_path(instance: "Scheme", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "svg"
    return f"certifications/logos/{instance.slug or uuid.uuid4().hex}-{uuid.uuid4().hex[:8]}.{extension}"


def private_storage():
    """STORAGES["private"] (outside MEDIA_ROOT). Never the public default storage: without it, refuse."""
    from django.core.files.storage import storages

    if "private" not in settings.STORAGES:
        raise ImproperlyConfigured('STORAGES["private"] is not configured: evidence must never go to public storage.')
    return storages["private"]


def evidence_path(instance: "AwardEvidence", filename: str) -> str:
    """A random name: evidence is private and must not be guessable from its original file name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"certifications/evidence/{uuid.uuid4().hex}.{extension}"


class Scheme(models.Model):
    """A certification or quality mark, e.g. EU Ecolabel, and the rules for awarding it."""

    class Verifier(models.TextChoices):
        DMC = "dmc", _("the DMC checks the evidence")
        ISSUER = "issuer", _("the issuing body certifies; the DMC records its certificate")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    issuer = models.CharField(_("issuing body"), max_length=160)
    issuer_url = models.URLField(_("issuing body's website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to=scheme_logo_path,
        blank=True,
        validators=[validate_logo],
        help_text=_("SVG, PNG or JPEG, square, at most 512 KB."),
    )
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    criteria = models.TextField(_("criteria"), blank=True)
    criteria_url = models.URLField(_("criteria link"), blank=True)
    # Model labels ("operators.operator"), each one of settings.CERTIFICATION_SUBJECT_MODELS.
    awardable_to = models.JSONField(_("awardable to"), default=list)
    expires = models.BooleanField(_("awards expire"), default=True)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("How long an award lasts when no expiry date is given; empty when awards do not expire."),
    )
    verified_by = models.CharField(_("verified by"), max_length=10, choices=Verifier.choices, default=Verifier.DMC)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive schemes accept no requests and show no labels.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires=False) | Q(validity_months__isnull=True) | Q(validity_months__gt=0),
                name="certifications_scheme_validity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("certifications:scheme-detail", kwargs={"slug": self.slug})

    def is_awardable_to(self, model: type[models.Model]) -> bool:
        return model._meta.label_lower in (self.awardable_to or [])


class Award(models.Model):
    """A scheme awarded to one subject, with its evidence, validity and status.

    Only verified awards whose expiry date has not come are labels; the other statuses are kept so
    that the history stays readable (who asked, who checked, why it ended).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="awards", verbose_name=_("scheme"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # Kept so the public page and the history still name the holder if the subject row is deleted.
    subject_name = models.CharField(_("holder"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("From this day the label is no longer shown.")
    )
    reference = models.CharField(_("certificate number"), max_length=80, blank=True)
    note = models.TextField(_("note from the applicant"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_30_sent_on = models.DateField(null=True, blank=True)
    reminder_7_sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        permissions = [("verify_award", _("Can verify, reject and revoke awards"))]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "status"], name="cert_award_subject_status"),
            models.Index(fields=["status", "expires_on"], name="cert_award_status_expiry"),
        ]
        constraints = [
            # At most one pending request and one verified award per scheme and subject, enforced by
            # the database even if two requests race past the services' checks. Both may coexist:
            # a holder asks for renewal while its current label is still valid.
            models.UniqueConstraint(
                fields=["scheme", "subject_type", "subject_id"],
                condition=Q(status="requested"),
                name="certifications_award_one_request_per_subject",
            ),
            models.UniqueConstraint(
                fields=["scheme", "subject_type", "subject_id"],
                condition=Q(status="verified"),
                name="certifications_award_one_verified_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(awarded_on__isnull=True)
                | Q(expires_on__gt=models.F("awarded_on")),
                name="certifications_award_expires_after_awarded",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(awarded_on__isnull=False),
                name="certifications_award_verified_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} — {self.subject_name}"

    def get_absolute_url(self) -> str:
        """The public page (the one the QR code points at)."""
        return reverse("certifications:award-public", kwargs={"public_id": self.public_id})

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(award=self.pk)

    @property
    def valid_until(self):
        """The last day the label is shown (expires_on is the first day it is not)."""
        return self.expires_on - timedelta(days=1) if self.expires_on else None


class AwardEvidence(models.Model):
    """A document (PDF or image) supporting a request; private to the holder and the DMC staff."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.original_name


class AwardEvent(models.Model):
    """One line of an award's history: what happened, who did it, when and why. Never edited."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("awarded directly by the DMC")
        EVIDENCE_ADDED = "evidence_added", _("evidence added")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")
        REMINDED = "reminded", _("expiry reminder sent")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("award history entry")
        verbose_name_plural = _("award history")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
