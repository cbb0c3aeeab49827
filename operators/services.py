"""Write services of the operators app (everything except held/booked counts: see capacity.py).

operator_signup(*, user, data: dict, photo=None) -> Operator
operator_member_invite(*, operator, email, role, by, language="") -> None (emails a link via Celery)
operator_invitation_accept(*, token, user) -> OperatorMembership        (raises ValidationError)
operator_invitation_refusal(*, invitation, user) -> str | None          (why they cannot accept)
operator_member_remove(*, membership, by) -> None                      (locks the operator)
operator_set_status(*, operator, status, reason, by) -> Operator      (emails the operator via Celery)
operator_photo_add(*, operator, upload, caption="") -> OperatorPhoto   (resized with Pillow)
operator_photo_delete(*, photo) -> None
operator_profile_save(*, operator) -> Operator                         (the form-edited instance)
service_save(*, operator, service) -> Service                          (a pending operator sells nothing)
rule_create(*, service, rule) -> AvailabilityRule                      (then rule_generate_slots)
rule_delete(*, rule) -> None                                           (its slots and bookings stay)
rule_generate_slots(*, rule) -> GenerateResult                         (bulk, idempotent)
slot_update(*, slot, closed=None, capacity=UNCHANGED) -> Slot          (locks the slot)
slot_lock_for_edit(*, slot_id, capacity) -> Slot                        (a form saving the slot: admin)
day_update(*, service, on, closed=None, capacity=UNCHANGED) -> int     (every slot of a day)
calendar_import_ical(*, calendar, content: bytes) -> int               (raises ICalError, changes nothing then)
calendar_fetch_and_import(*, calendar) -> int                          (downloads calendar.url)
calendar_import(*, service, url="", content=None) -> int              (the operator's import: URL or file)
Seasons and prices: operators.prices.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from marketplace.core.dates import format_day
from marketplace.core.origin import public_url
from marketplace.core.roles import Role, user_grant_role, user_has_role

from .capacity import capacity_transaction
from .lock_objects import slots_lock
from .models import (
    ALL_DAY,
    AvailabilityRule,
    ExternalBlock,
    ExternalCalendar,
    Operator,
    OperatorInvitation,
    OperatorMembership,
    OperatorPhoto,
    Service,
    Slot,
)
from .signals import availability_changed

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
UNCHANGED = object()
RULE_LOCK_BATCH = 500  # slots locked per transaction by rule_generate_slots


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "operator"
    slug = base
    while Operator.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


def operator_signup(*, user, data: dict, photo=None) -> Operator:
    """Create a pending operator with `user` as owner. Staff approve it before anything is sold."""
    with transaction.atomic():
        operator = Operator(slug=_unique_slug(data["name"]), status=Operator.Status.PENDING, **data)
        operator.full_clean()
        operator.save()
        OperatorMembership.objects.create(user=user, operator=operator, role=OperatorMembership.Role.OWNER)
        user_grant_role(user, Role.OPERATOR)
        if photo is not None:
            operator_photo_add(operator=operator, upload=photo)
    return operator


INVITATION_VALID_DAYS = 7


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def operator_member_invite(*, operator: Operator, email: str, role: str, by, language: str = "") -> None:
    """An owner invites a person by e-mail; they join only once they accept (`operator_invitation_accept`).

    Whether the address has an account is never told: the invitation is sent either way, and who may
    join (not DMC staff) is checked at acceptance. A pending, suspended or rejected operator cannot
    invite anyone. A new invitation to the same address replaces the one still open."""
    from .tasks import operator_send_invitation

    _require_owner(operator=operator, user=by)
    if operator.status != Operator.Status.APPROVED:
        raise ValidationError(_("Your operator can invite people once the DMC staff have approved it."))
    email = email.strip()
    if operator.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already in your team.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        operator.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = OperatorInvitation.objects.create(
            operator=operator, email=email, role=role, token_hash=_token_hash(token), invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS),
        )  # fmt: skip
        transaction.on_commit(lambda: operator_send_invitation.delay(invitation.pk, token, language))


def operator_invitation_url(*, token: str, language: str) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("operator-area:invitation-accept", kwargs={"token": token})
    return public_url(path)


def operator_invitation_send(*, invitation: OperatorInvitation, token: str) -> int:
    """E-mail the invitation's link (the token travels only in this message; the database keeps its hash)."""
    from django.core.mail import send_mail
    from django.utils import translation

    language = translation.get_language()
    subject = _("%(name)s invites you to its team") % {"name": invitation.operator.name}
    body = _(
        "%(name)s invites you to work with it on %(site)s as %(role)s.\n\nTo accept, open the link below "
        "and log in, or sign up, with this e-mail address (%(email)s). The link works until %(until)s.\n\n"
        "%(url)s\n\nIf you were not expecting this invitation, ignore this message: nothing happens."
    ) % {
        "name": invitation.operator.name,
        "site": settings.DMC_NAME,
        "role": invitation.get_role_display(),
        "email": invitation.email,
        "until": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
        "url": operator_invitation_url(token=token, language=language),
    }
    return send_mail(subject, body, None, [invitation.email])


def _open_invitations(token: str):
    return OperatorInvitation.objects.filter(token_hash=_token_hash(token), accepted_at__isnull=True).select_related(
        "operator"
    )


def operator_invitation_for_token(*, token: str) -> OperatorInvitation | None:
    """The open (not yet accepted) invitation of a link, expired or not; None for an unknown token."""
    return _open_invitations(token).first()


def operator_invitation_refusal(*, invitation: OperatorInvitation | None, user) -> str | None:
    """Why `user` cannot accept `invitation` (a sentence for them), or None when they can.

    They must be logged in with the invited address, not be DMC staff (staff act on every operator from
    the back office, and a membership would put them in one operator's area), nor work for another
    operator (the operator area serves one operator per account); the operator must still be approved."""

    if invitation is None:
        return _("This invitation is not valid: it was already used or replaced by a newer one.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired: ask the operator for a new one.")
    if invitation.operator.status != Operator.Status.APPROVED:
        return _("This operator cannot take new team members at the moment.")
    if (user.email or "").strip().casefold() != invitation.email.strip().casefold():
        return _("This invitation was sent to %(email)s: log in or sign up with that address to accept it.") % {
            "email": invitation.email
        }
    if user.is_staff or user.is_superuser or user_has_role(user, Role.STAFF):
        return _("DMC staff accounts cannot join an operator's team.")
    if OperatorMembership.objects.filter(user=user).exclude(operator=invitation.operator).exists():
        return _("Your account already works for another operator: accept with a different account.")
    return None


def operator_invitation_accept(*, token: str, user) -> OperatorMembership:
    """The invited person accepts: the membership is created for `user` (see operator_invitation_refusal
    for who may). Raises ValidationError, changing nothing."""
    with transaction.atomic():
        invitation = _open_invitations(token).select_for_update(of=("self",)).first()
        refusal = operator_invitation_refusal(invitation=invitation, user=user)
        if refusal:
            raise ValidationError(refusal)
        membership, _created = OperatorMembership.objects.get_or_create(
            operator=invitation.operator, user=user, defaults={"role": invitation.role}
        )
        user_grant_role(user, Role.OPERATOR)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def operator_member_remove(*, membership: OperatorMembership, by) -> None:
    """An owner removes a member; the last owner cannot be removed (nobody could manage the team).

    The operator row is locked before anything is read, so two owners removing each other at once
    are ordered: the second one counts after the first removal committed (and is no owner any more)."""
    with transaction.atomic():
        Operator.objects.select_for_update().get(pk=membership.operator_id)
        _require_owner(operator=membership.operator, user=by)
        current = OperatorMembership.objects.filter(pk=membership.pk).first()
        if current is None:  # removed meanwhile
            return
        owners = OperatorMembership.objects.filter(operator_id=current.operator_id, role=OperatorMembership.Role.OWNER)
        if current.role == OperatorMembership.Role.OWNER and owners.count() == 1:
            raise ValidationError(_("The last owner cannot be removed."))
        current.delete()


def _require_owner(*, operator: Operator, user) -> None:
    from django.core.exceptions import PermissionDenied

    if not OperatorMembership.objects.filter(operator=operator, user=user, role=OperatorMembership.Role.OWNER).exists():
        raise PermissionDenied(_("Only the operator's owners manage its team."))


ALLOWED_TRANSITIONS = {
    Operator.Status.PENDING: {Operator.Status.APPROVED, Operator.Status.REJECTED},
    Operator.Status.APPROVED: {Operator.Status.SUSPENDED},
    Operator.Status.SUSPENDED: {Operator.Status.APPROVED, Operator.Status.REJECTED},
    Operator.Status.REJECTED: {Operator.Status.APPROVED},
}


def operator_set_status(*, operator: Operator, status: str, reason: str = "", by=None) -> Operator:
    """Approve, suspend or reject an operator. Suspending or rejecting needs a reason (it is emailed)."""
    from .offers import offers_changed
    from .tasks import operator_notify_status_task

    status = Operator.Status(status)
    if status not in ALLOWED_TRANSITIONS[Operator.Status(operator.status)]:
        raise ValidationError(
            _("An operator cannot go from %(old)s to %(new)s.")
            % {"old": operator.get_status_display(), "new": status.label}
        )
    if status in (Operator.Status.SUSPENDED, Operator.Status.REJECTED) and not reason.strip():
        raise ValidationError({"reason": _("Please give the operator a reason.")})
    with transaction.atomic():
        operator.status = status
        operator.status_reason = reason.strip()
        operator.status_changed_at = timezone.now()
        operator.status_changed_by = by
        operator.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
        transaction.on_commit(lambda: operator_notify_status_task.delay(operator.pk))
        transaction.on_commit(offers_changed)  # its services appear on or vanish from public pages
    return operator


def operator_notify_status(*, operator: Operator) -> int:
    """Email the operator's address and its owners about its status; returns messages sent."""
    from django.core.mail import send_mail

    recipients = {operator.email} | set(
        operator.memberships.filter(role=OperatorMembership.Role.OWNER).values_list("user__email", flat=True)
    )
    recipients.discard("")
    subject = _("Your operator account %(name)s: %(status)s") % {
        "name": operator.name,
        "status": operator.get_status_display(),
    }
    body = _("The status of %(name)s is now: %(status)s.") % {
        "name": operator.name,
        "status": operator.get_status_display(),
    }
    if operator.status_reason:
        body += "\n\n" + _("Reason: %(reason)s") % {"reason": operator.status_reason}
    return send_mail(subject, body, None, sorted(recipients))


def photo_validate(upload) -> None:
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("Photos can be at most %(mb)d MB.") % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many types for non-images
        raise ValidationError(_("Upload a valid image (JPEG, PNG or WebP).")) from exc
    finally:
        upload.seek(0)


def operator_photo_add(*, operator: Operator, upload, caption: str = "") -> OperatorPhoto:
    """Store a photo resized to at most 1600 px, as JPEG: originals from phones are 10+ MB."""
    photo_validate(upload)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
    name = f"{operator.slug}-{get_random_string(6).lower()}.jpg"
    photo = OperatorPhoto(operator=operator, caption=caption, position=operator.photos.count())
    photo.image.save(name, ContentFile(buffer.getvalue()), save=True)
    return photo


def operator_photo_delete(*, photo: OperatorPhoto) -> None:
    """Delete a photo and its file (after the row: a failed delete leaves no row without its file)."""
    image = photo.image
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: image.delete(save=False))


def operator_profile_save(*, operator: Operator) -> Operator:
    """Save the operator's profile as its form changed it (the status fields are staff's: untouched)."""
    fields = [f.attname for f in Operator._meta.concrete_fields
              if f.name not in ("id", "slug", "vat_number", "status", "status_reason", "status_changed_at",
                                "status_changed_by", "created_at")]  # fmt: skip
    operator.full_clean(exclude=["slug", "vat_number", "description"])  # per-language columns: the form's
    operator.save(update_fields=fields)
    return operator


def operator_may_sell(operator: Operator) -> bool:
    return operator.status == Operator.Status.APPROVED


def service_save(*, operator: Operator, service: Service) -> Service:
    """Create or update one of `operator`'s services (the instance its form filled in).

    Only an approved operator puts a service on sale (`is_active`): a pending one prepares its services,
    which stay off sale, and the staff's approval is what lets it tick them."""
    if service.pk and service.operator_id != operator.pk:
        raise PermissionDenied
    service.operator = operator
    if service.is_active and not operator_may_sell(operator):
        raise ValidationError({"is_active": _("Your services can go on sale once the DMC staff have approved you.")})
    service.full_clean(exclude=["name", "description"])  # their per-language columns are the form's
    service.save()
    return service


def rule_create(*, service: Service, rule: AvailabilityRule) -> AvailabilityRule:
    """Save a new availability rule of `service`. Its slots come from rule_generate_slots, called after
    this transaction: it locks and commits in short batches, and nested in one transaction it would
    keep every slot of the rule locked until the end."""
    rule.service = service
    rule.full_clean()
    rule.save()
    return rule


def rule_delete(*, rule: AvailabilityRule) -> None:
    """Delete a rule: its slots (and their bookings) stay, it only stops generating more."""
    rule.delete()


@dataclass(frozen=True)
class GenerateResult:
    created: int
    updated: int
    kept: int  # capacity not changed: set by hand, or already booked beyond the rule's capacity


def rule_generate_slots(*, rule: AvailabilityRule) -> GenerateResult:
    """Create the rule's missing slots from today on, in bulk, and bring the others to the rule's capacity.

    Never deletes a slot and never lowers a capacity below what is held and booked: existing slots
    are locked like every capacity writer does (`slots_lock`, ascending pk, batches of
    RULE_LOCK_BATCH, each its own short transaction when not nested) and checked after the lock.
    A slot booked beyond the rule's capacity, or whose capacity the operator set by hand
    (`capacity_locked`), keeps its capacity and is counted in `kept`. Locking in pk order means a
    basket holding several of these slots queues instead of deadlocking. Raises LockTimeout when a
    slot stays locked too long; slots already updated stay so, and re-running finishes the job."""
    service = rule.service
    if service.is_freesale:
        capacity = None
    elif rule.capacity is None:
        raise ValidationError({"capacity": _("Give the number of places (only freesale services have no limit).")})
    else:
        capacity = rule.capacity
    # Never a slot in the past: a rule starting before today (last season's, re-run) begins at today,
    # and today's departures already gone are skipped. All-day slots of today stay bookable.
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    all_day = not rule.start_times
    wanted = {
        (day, time)
        for day in rule.dates()
        if day >= now.date()
        for time in rule.times()
        if day > now.date() or all_day or time > now.time()
    }
    blocked_days = set(_blocked_days(service.pk, rule.starts_on, rule.ends_on))
    with transaction.atomic():
        rows = Slot.objects.filter(service=service, date__gte=rule.starts_on, date__lte=rule.ends_on)
        existing = {(day, time): pk for pk, day, time in rows.values_list("pk", "date", "start_time").iterator()}
        missing = [
            Slot(
                service=service,
                rule=rule,
                date=day,
                start_time=time,
                all_day=time == ALL_DAY and not rule.start_times,
                capacity=capacity,
                blocked=day in blocked_days,
            )  # fmt: skip
            for day, time in sorted(wanted - set(existing))
        ]
        Slot.objects.bulk_create(missing, batch_size=2000, ignore_conflicts=True)
    ids = sorted(existing[key] for key in wanted & set(existing))
    updated = 0
    for start in range(0, len(ids), RULE_LOCK_BATCH):
        with capacity_transaction():
            locked = slots_lock(ids[start : start + RULE_LOCK_BATCH])
            fits = [
                pk
                for pk, slot in locked.items()
                if not slot.capacity_locked and (capacity is None or slot.held + slot.reserved <= capacity)
            ]
            updated += Slot.objects.filter(pk__in=fits).update(capacity=capacity, rule=rule)
    availability_changed.send(sender=Service, service_id=service.pk)  # bulk writes send no model signal
    return GenerateResult(created=len(missing), updated=updated, kept=len(ids) - updated)


def _refuse_capacity(slot: Slot, capacity) -> None:
    """A capacity the locked `slot` cannot take: none for a limited service, or below held + booked."""
    if capacity is None and not slot.service.is_freesale:
        raise ValidationError({"capacity": _("Only freesale services have no limit.")})
    if capacity is not None and capacity < slot.held + slot.reserved:
        raise ValidationError(
            {"capacity": _("%(n)d places are already held or booked on %(day)s: the capacity cannot be lower.")
             % {"n": slot.held + slot.reserved, "day": format_day(slot.date)}}
        )  # fmt: skip


def slot_lock_for_edit(*, slot_id: int, capacity) -> Slot:
    """Lock one slot until the caller's transaction ends and refuse a `capacity` it cannot take.

    For a form that saves the slot itself (Django admin): call it in the transaction that saves, and
    save only the edited fields (`update_fields`, never `held`/`reserved`), so a hold taken meanwhile
    is neither overwritten nor oversold. Raises ValidationError, LockTimeout."""
    with capacity_transaction():
        locked = slots_lock([slot_id])[slot_id]
        _refuse_capacity(locked, capacity)
    return locked


def slot_update(*, slot: Slot, closed: bool | None = None, capacity=UNCHANGED) -> Slot:
    """Close, re-open or re-size one slot. A capacity below held + booked is refused, not clipped."""
    with capacity_transaction():
        locked = slots_lock([slot.pk])[slot.pk]
        fields = []
        if closed is not None:
            locked.closed = closed
            fields.append("closed")
        if capacity is not UNCHANGED:
            _refuse_capacity(locked, capacity)
            locked.capacity = capacity
            locked.capacity_locked = True
            fields += ["capacity", "capacity_locked"]
        if fields:
            locked.save(update_fields=fields)
    return locked


def day_update(*, service, on: dt.date, closed: bool | None = None, capacity=UNCHANGED) -> int:
    """Apply `slot_update` to every slot of a service on a day, all or nothing. Returns slots changed."""
    with capacity_transaction():
        slots = list(Slot.objects.filter(service=service, date=on).order_by("pk"))
        for slot in slots:
            slot_update(slot=slot, closed=closed, capacity=capacity)
    return len(slots)


class ICalError(Exception):
    """The calendar could not be read; nothing was changed. `str()` is a message for the operator."""


def _parse_ical(content: bytes) -> list[tuple[dt.date, dt.date, str]]:
    """Parse VEVENTs into (first day, day after last, summary). Everything is checked before any write."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(content)
    except Exception as exc:  # icalendar raises ValueError and friends for broken files
        raise ICalError(_("This is not a valid iCal calendar: %(error)s") % {"error": exc}) from exc
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise ICalError(_("This is not a valid iCal calendar: it has no VCALENDAR."))
    if getattr(calendar, "errors", None):
        raise ICalError(_("This is not a valid iCal calendar: %(error)s") % {"error": calendar.errors[0]})
    blocks = []
    for index, event in enumerate(calendar.walk("VEVENT"), start=1):
        if getattr(event, "errors", None):
            raise ICalError(_("Event %(n)d is malformed: %(error)s") % {"n": index, "error": event.errors[0]})
        start = event.get("DTSTART")
        if start is None:
            raise ICalError(_("Event %(n)d has no start date (DTSTART).") % {"n": index})
        end = event.get("DTEND")
        start_value = start.dt
        end_value = end.dt if end is not None else None
        try:
            first = _local_date(start_value)
            if end_value is None:
                after = first + dt.timedelta(days=1)
            elif isinstance(end_value, dt.datetime):
                last_moment = _local_datetime(end_value)
                after = last_moment.date() + dt.timedelta(days=0 if last_moment.time() == dt.time(0) else 1)
            else:
                after = end_value
            after = max(after, first + dt.timedelta(days=1))
        except OverflowError:  # at the edge of year 9999 (or 1): blocks no day anyone can book
            continue
        blocks.append((first, after, str(event.get("SUMMARY", ""))[:255]))
    return blocks


def _local_datetime(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value)


def _local_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return _local_datetime(value).date()
    return value


def _blocked_days(service_id: int, start: dt.date, end: dt.date):
    for first, after in ExternalBlock.objects.filter(
        calendar__service_id=service_id, starts_on__lte=end, ends_on__gt=start
    ).values_list("starts_on", "ends_on"):
        day = max(first, start)
        while day < after and day <= end:
            yield day
            day += dt.timedelta(days=1)


def calendar_import_ical(*, calendar: ExternalCalendar, content: bytes) -> int:
    """Replace the calendar's previous block with the dates this iCal lists; returns blocks imported.

    Malformed content raises ICalError before anything is written, so the old block stays."""
    blocks = _parse_ical(content)
    service_id = calendar.service_id
    with transaction.atomic():
        calendar.blocks.all().delete()
        ExternalBlock.objects.bulk_create(
            [ExternalBlock(calendar=calendar, starts_on=a, ends_on=b, summary=s) for a, b, s in blocks]
        )
        # Recompute `blocked` for the service from all of its calendars' blocks.
        Slot.objects.filter(service_id=service_id, blocked=True).update(blocked=False)
        ranges = ExternalBlock.objects.filter(calendar__service_id=service_id).values_list("starts_on", "ends_on")
        condition = Q()
        for first, after in ranges:
            condition |= Q(date__gte=first, date__lt=after)
        if ranges:
            Slot.objects.filter(condition, service_id=service_id).update(blocked=True)
        calendar.last_imported_at = timezone.now()
        calendar.save(update_fields=["last_imported_at"])
    return len(blocks)


ICAL_MAX_BYTES = 2 * 1024 * 1024


ICAL_MAX_REDIRECTS = 3


def _check_public_host(url: str) -> None:
    """Refuse URLs whose host resolves to a private, loopback or link-local address: an operator
    must not make our server fetch from the internal network (SSRF). ICAL_ALLOW_PRIVATE_HOSTS
    lifts it (tests with a local server, a channel manager on a private network). The check itself is
    shared with the partners' webhooks (marketplace.core.net)."""
    from django.conf import settings

    from marketplace.core.net import UnsafeURL, check_public_url

    try:
        check_public_url(url, allow_private=getattr(settings, "ICAL_ALLOW_PRIVATE_HOSTS", False))
    except UnsafeURL as exc:
        if exc.code == "unresolved":
            raise ICalError(_("The calendar could not be downloaded: %(error)s") % {"error": exc.message}) from exc
        raise ICalError(exc.message) from exc


def calendar_fetch(*, url: str, timeout: float = 10) -> bytes:
    """Download an iCal feed. Call it outside transactions: a slow channel manager must not hold locks.

    Redirects are followed by hand (at most three) so every hop is checked like the first."""
    import requests

    try:
        for _hop in range(ICAL_MAX_REDIRECTS + 1):
            _check_public_host(url)
            response = requests.get(url, timeout=timeout, stream=True, allow_redirects=False)
            if response.is_redirect:
                url = requests.compat.urljoin(url, response.headers["Location"])
                continue
            response.raise_for_status()
            content = response.raw.read(ICAL_MAX_BYTES + 1, decode_content=True)
            break
        else:
            raise ICalError(_("The calendar address redirects too many times."))
    except requests.RequestException as exc:
        raise ICalError(_("The calendar could not be downloaded: %(error)s") % {"error": exc}) from exc
    if len(content) > ICAL_MAX_BYTES:
        raise ICalError(_("The calendar is too large (2 MB at most)."))
    return content


def calendar_import(*, service: Service, url: str = "", content: bytes | None = None) -> int:
    """The operator imports a calendar for `service`: its URL (downloaded here, outside any transaction)
    or a file's `content`. Importing the same URL again replaces its dates. Raises ICalError, nothing
    written then."""
    if url:
        content = calendar_fetch(url=url)
    with transaction.atomic():
        calendar = ExternalCalendar.objects.filter(service=service, url=url).first() or ExternalCalendar(
            service=service, url=url
        )
        calendar.save()
        return calendar_import_ical(calendar=calendar, content=content)


def calendar_fetch_and_import(*, calendar: ExternalCalendar) -> int:
    """Download the calendar's URL and import it (for a periodic re-import task)."""
    return calendar_import_ical(calendar=calendar, content=calendar_fetch(url=calendar.url))
