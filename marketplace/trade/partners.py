"""Trade partners: sign-up, staff decisions, the partner's users. Mirrors operators.services.

partner_signup(*, user, data: dict) -> TradePartner                     (pending; the user is its admin)
partner_for_user(user) -> PartnerMembership | None
partner_set_status(*, partner, status, reason="", by=None) -> TradePartner (emails the partner via Celery)
partner_notify_status(*, partner) -> int                                 (the e-mail itself; the task calls it)
partner_member_invite(*, partner, email, role, by, language="") -> None (emails a link via Celery)
partner_invitation_for_token(*, token) -> PartnerInvitation | None
partner_invitation_refusal(*, invitation, user) -> str | None           (why they cannot accept)
partner_invitation_accept(*, token, user) -> PartnerMembership          (raises ValidationError)
partner_member_remove(*, membership, by) -> None                        (locks the partner)
tax_id_normalize(*, country, value) -> str                              (raises ValidationError)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.core.origin import public_url
from marketplace.core.roles import Role, user_grant_role, user_has_role
from operators.models import OperatorMembership

from .models import PartnerInvitation, PartnerMembership, TradePartner

INVITATION_VALID_DAYS = 7

# stdnum's EU VAT prefixes differ from ISO codes for Greece (EL).
VAT_PREFIX = {"GR": "EL"}


def tax_id_normalize(*, country: str, value: str) -> str:
    """The tax id as stored: for an EU country, its VAT number checked by stdnum (check digits and format)
    and written with its country prefix (DE136695976); elsewhere, the tax id as typed (no format is common
    to the world's tax ids), trimmed. Raises ValidationError with a message for the field."""
    from stdnum.eu import vat
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.util import clean

    country = (country or "").upper()
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Give the VAT number or tax id."), code="required")
    if country.lower() not in vat.MEMBER_STATES:
        return " ".join(value.split())[:40]
    prefix = VAT_PREFIX.get(country, country)
    number = clean(value, " -./,").upper().strip()
    if number[:2].isalpha():
        if number[:2] != prefix:
            raise ValidationError(
                _("This VAT number is not of the country chosen (it should start with %(prefix)s).")
                % {"prefix": prefix},
                code="vat_country",
            )
    else:
        number = prefix + number
    try:
        return vat.validate(number)
    except StdnumError as exc:
        raise ValidationError(
            _("This VAT number is not valid for %(prefix)s: please check for typos.") % {"prefix": prefix},
            code="vat_invalid",
        ) from exc


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "partner"
    slug = base
    while TradePartner.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


def partner_for_user(user) -> PartnerMembership | None:
    """The user's membership (with its partner), whatever the partner's status; None for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    return PartnerMembership.objects.select_related("partner").filter(user=user).first()


def _signup_refusal(user) -> str | None:
    if user.is_staff or user.is_superuser or user_has_role(user, Role.STAFF):
        return _("DMC staff accounts cannot sign up a trade partner.")
    if PartnerMembership.objects.filter(user=user).exists():
        return _("Your account already works for a trade partner.")
    if OperatorMembership.objects.filter(user=user).exists():
        return _("Your account works for a local operator: sign up the trade partner with a different account.")
    return None


def partner_signup(*, user, data: dict) -> TradePartner:
    """Create a pending partner with `user` as its administrator, in the "Trade partners" role.

    As for operators, the person signs up (or logs in) with an account first, then applies: staff
    approve the company before it books anything. One account works for one partner, and an operator's
    or the DMC staff's account cannot become a partner's (each role has its own landing and area)."""
    refusal = _signup_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        partner = TradePartner(slug=_unique_slug(data["legal_name"]), status=TradePartner.Status.PENDING, **data)
        partner.full_clean()
        partner.save()
        PartnerMembership.objects.create(user=user, partner=partner, role=PartnerMembership.Role.ADMIN)
        user_grant_role(user, Role.PARTNER)
    return partner


ALLOWED_TRANSITIONS = {
    TradePartner.Status.PENDING: {TradePartner.Status.APPROVED, TradePartner.Status.REJECTED},
    TradePartner.Status.APPROVED: {TradePartner.Status.SUSPENDED},
    TradePartner.Status.SUSPENDED: {TradePartner.Status.APPROVED},
    TradePartner.Status.REJECTED: set(),
}
REASON_REQUIRED = {TradePartner.Status.SUSPENDED, TradePartner.Status.REJECTED}


def partner_set_status(*, partner: TradePartner, status: str, reason: str = "", by=None) -> TradePartner:
    """Approve, suspend (and re-approve) or reject a partner; rejecting or suspending needs a reason,
    which is e-mailed to the partner's administrators and billing address after the commit.

    The partner row is locked, so two staff deciding at once are ordered and the second one is judged
    against the status the first one left. Raises ValidationError, changing nothing."""
    from .tasks import partner_notify_status_task

    try:
        status = TradePartner.Status(status)
    except ValueError as exc:
        raise ValidationError({"status": _("Choose a decision.")}) from exc
    if status in REASON_REQUIRED and not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the partner a reason.")})
    with transaction.atomic():
        locked = TradePartner.objects.select_for_update().get(pk=partner.pk)
        if status not in ALLOWED_TRANSITIONS[TradePartner.Status(locked.status)]:
            raise ValidationError(
                _("A trade partner cannot go from %(old)s to %(new)s.")
                % {"old": locked.get_status_display(), "new": status.label}
            )
        locked.status = status
        locked.status_reason = (reason or "").strip()
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = by
        locked.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
        transaction.on_commit(lambda: partner_notify_status_task.delay(locked.pk))
    for field in ("status", "status_reason", "status_changed_at", "status_changed_by"):
        setattr(partner, field, getattr(locked, field))
    return partner


def partner_notify_status(*, partner: TradePartner) -> int:
    """E-mail the partner's billing address and its administrators about its status; returns messages sent."""
    from django.core.mail import send_mail

    recipients = {partner.billing_email} | set(
        partner.memberships.filter(role=PartnerMembership.Role.ADMIN).values_list("user__email", flat=True)
    )
    recipients.discard("")
    recipients.discard(None)
    values = {"name": partner.legal_name, "status": partner.get_status_display(), "site": settings.DMC_NAME}
    subject = _("Your trade account %(name)s: %(status)s") % values
    body = _("The status of %(name)s with %(site)s is now: %(status)s.") % values
    if partner.status == TradePartner.Status.APPROVED:
        body += "\n\n" + _("Your users can log in to the partner portal and book at your trade rates.")
    if partner.status_reason:
        body += "\n\n" + _("Reason: %(reason)s") % {"reason": partner.status_reason}
    return send_mail(subject, body, None, sorted(recipients))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(*, partner: TradePartner, user) -> None:
    if not PartnerMembership.objects.filter(partner=partner, user=user, role=PartnerMembership.Role.ADMIN).exists():
        raise PermissionDenied(_("Only the partner's administrators manage its users."))


def partner_member_invite(*, partner: TradePartner, email: str, role: str, by, language: str = "") -> None:
    """An administrator invites a colleague by e-mail; they join once they accept (`partner_invitation_accept`).

    Whether the address has an account is never told: the invitation is sent either way, and who may
    join is checked at acceptance. Only an approved partner invites; a new invitation to the same address
    replaces the one still open."""
    from .tasks import partner_send_invitation_task

    _require_admin(partner=partner, user=by)
    if partner.status != TradePartner.Status.APPROVED:
        raise ValidationError(_("You can invite colleagues once the DMC staff have approved your company."))
    if role not in PartnerMembership.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    email = (email or "").strip()
    if partner.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already works with you here.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        partner.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = PartnerInvitation.objects.create(
            partner=partner, email=email, role=role, token_hash=_token_hash(token), invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS),
        )  # fmt: skip
        transaction.on_commit(lambda: partner_send_invitation_task.delay(invitation.pk, token, language))


def partner_invitation_url(*, token: str, language: str) -> str:
    from django.urls import reverse

    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("trade:invitation-accept", kwargs={"token": token})
    return public_url(path)


def partner_invitation_send(*, invitation: PartnerInvitation, token: str) -> int:
    """E-mail the invitation's link (the token travels only in this message; the database keeps its hash)."""
    from django.core.mail import send_mail

    language = translation.get_language()
    subject = _("%(name)s invites you to book with it on %(site)s") % {
        "name": invitation.partner.legal_name,
        "site": settings.DMC_NAME,
    }
    body = _(
        "%(name)s invites you to its trade account on %(site)s as %(role)s.\n\nTo accept, open the link below "
        "and log in, or sign up, with this e-mail address (%(email)s). The link works until %(until)s.\n\n"
        "%(url)s\n\nIf you were not expecting this invitation, ignore this message: nothing happens."
    ) % {
        "name": invitation.partner.legal_name,
        "site": settings.DMC_NAME,
        "role": invitation.get_role_display(),
        "email": invitation.email,
        "until": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
        "url": partner_invitation_url(token=token, language=language),
    }
    return send_mail(subject, body, None, [invitation.email])


def _open_invitations(token: str):
    return PartnerInvitation.objects.filter(token_hash=_token_hash(token), accepted_at__isnull=True).select_related(
        "partner"
    )


def partner_invitation_for_token(*, token: str) -> PartnerInvitation | None:
    """The open (not yet accepted) invitation of a link, expired or not; None for an unknown token."""
    return _open_invitations(token).first()


def partner_invitation_refusal(*, invitation: PartnerInvitation | None, user) -> str | None:
    """Why `user` cannot accept `invitation` (a sentence for them), or None when they can.

    They must be logged in with the invited address, not be DMC staff, not work for another partner
    (the portal serves one partner per account) nor for an operator (an operator's account lands in the
    operator area); the partner must still be approved."""
    if invitation is None:
        return _("This invitation is not valid: it was already used or replaced by a newer one.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired: ask your colleague for a new one.")
    if invitation.partner.status != TradePartner.Status.APPROVED:
        return _("This trade partner cannot take new users at the moment.")
    if (user.email or "").strip().casefold() != invitation.email.strip().casefold():
        return _("This invitation was sent to %(email)s: log in or sign up with that address to accept it.") % {
            "email": invitation.email
        }
    if user.is_staff or user.is_superuser or user_has_role(user, Role.STAFF):
        return _("DMC staff accounts cannot join a trade partner.")
    if PartnerMembership.objects.filter(user=user).exclude(partner=invitation.partner).exists():
        return _("Your account already works for another trade partner: accept with a different account.")
    if OperatorMembership.objects.filter(user=user).exists():
        return _("Your account works for a local operator: accept with a different account.")
    return None


def partner_invitation_accept(*, token: str, user) -> PartnerMembership:
    """The invited person accepts: the membership is created for `user` (see partner_invitation_refusal
    for who may). Raises ValidationError, changing nothing."""
    with transaction.atomic():
        invitation = _open_invitations(token).select_for_update(of=("self",)).first()
        refusal = partner_invitation_refusal(invitation=invitation, user=user)
        if refusal:
            raise ValidationError(refusal)
        membership, _created = PartnerMembership.objects.get_or_create(
            user=user, defaults={"partner": invitation.partner, "role": invitation.role}
        )
        user_grant_role(user, Role.PARTNER)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def partner_member_remove(*, membership: PartnerMembership, by) -> None:
    """An administrator removes a user (themselves included), never the last administrator: nobody could
    manage the users any more. The removed user leaves the "Trade partners" role, so they land on the
    site's account pages again.

    The partner row is locked before anything is read, so two administrators removing each other at once
    are ordered: the second one counts after the first removal committed (and is no administrator any more)."""
    from django.contrib.auth.models import Group

    with transaction.atomic():
        TradePartner.objects.select_for_update().get(pk=membership.partner_id)
        _require_admin(partner=membership.partner, user=by)
        current = PartnerMembership.objects.filter(pk=membership.pk).select_related("user").first()
        if current is None:  # removed meanwhile
            return
        admins = PartnerMembership.objects.filter(partner_id=current.partner_id, role=PartnerMembership.Role.ADMIN)
        if current.role == PartnerMembership.Role.ADMIN and admins.count() == 1:
            raise ValidationError(_("The last administrator cannot be removed."))
        current.delete()
        group = Group.objects.filter(name=Role.PARTNER.value).first()
        if group is not None:
            current.user.groups.remove(group)
