"""The travel document (`booking_voucher_pdf`): called "voucher" by travellers, not Oscar's discount vouchers.

reportlab draws it (pure Python wheels; WeasyPrint would need the system's Pango, DESIGN.md) and
`qrcode` encodes the order reference so an operator can scan it at the meeting point.
"""

from __future__ import annotations

import io

import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from marketplace.core.money import format_money
from marketplace.core.origin import public_url
from operators.pricing import Party

from .models import PackageBooking, PackageBookingPart
from .services import package_free_cancellation_until

LOGO_STATIC = "img/dmc-logo.png"  # the DMC's mark (the favicon's shape), a small committed PNG


def party_label(party: Party) -> str:
    """The party as a person writes it: "2 adults, 1 child (8)" (children with their ages)."""
    bits = [ngettext("%(n)d adult", "%(n)d adults", party.adults) % {"n": party.adults}] if party.adults else []
    if party.seniors:
        bits.append(ngettext("%(n)d senior", "%(n)d seniors", party.seniors) % {"n": party.seniors})
    if party.children_ages:
        ages = ", ".join(str(a) for a in party.children_ages)
        n = len(party.children_ages)
        bits.append(ngettext("%(n)d child (%(ages)s)", "%(n)d children (%(ages)s)", n) % {"n": n, "ages": ages})
    if party.infants:
        bits.append(ngettext("%(n)d infant", "%(n)d infants", party.infants) % {"n": party.infants})
    return ", ".join(bits)


MARGIN = 20 * mm
QR_BOTTOM = A4[1] - 57 * mm  # lines above it stop short of the QR code in the top right corner


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """The lines `text` takes within `width`: broken between words (reportlab's simpleSplit), and a
    single word longer than the line (a URL) broken between characters, so nothing is ever cut or runs
    off the page."""
    lines = []
    for line in simpleSplit(text, font, size, width) or [""]:
        while stringWidth(line, font, size) > width:
            fit = max((n for n in range(1, len(line)) if stringWidth(line[:n], font, size) <= width), default=1)
            lines.append(line[:fit])
            line = line[fit:]
        lines.append(line)
    return lines


class _Writer:
    """A top-down writer of wrapped paragraphs that starts a new page when the current one is full."""

    def __init__(self, pdf: canvas.Canvas):
        self.pdf = pdf
        self.y = A4[1] - MARGIN

    def line(self, text: str, size: int = 10, bold: bool = False, indent: float = 0, gap: float = 5.2 * mm):
        """Write `text` from the left margin plus `indent`, wrapped; `gap` is the space after the last
        line (wrapped lines follow each other at the font's leading)."""
        font = "Helvetica-Bold" if bold else "Helvetica"
        right = A4[0] - MARGIN - (40 * mm if self.y > QR_BOTTOM else 0)
        rows = wrap(text, font, size, right - MARGIN - indent)
        for n, row in enumerate(rows):
            if self.y < MARGIN:
                self.pdf.showPage()
                self.y = A4[1] - MARGIN
            self.pdf.setFont(font, size)
            self.pdf.drawString(MARGIN + indent, self.y, row)
            self.y -= gap if n == len(rows) - 1 else size * 1.25


def cancellation_terms(booking: PackageBooking) -> list[str]:
    """The cancellation policy of a booking as the traveller reads it on the voucher: the day of free
    cancellation, then each tier (the package page's wording)."""
    tiers = list(booking.package.cancellation_tiers.all())
    if not tiers:
        return [_("Cancellation: no refund.")]
    lines = []
    until = package_free_cancellation_until(tiers=tiers, starts_on=booking.starts_on)
    if until is not None:
        lines.append(_("Free cancellation until %(date)s.") % {"date": date_format(until, "j F Y")})
    terms = "; ".join(tier.sentence for tier in sorted(tiers, key=lambda t: -t.days_before))
    lines.append(f"{_('Cancellation policy')}: {terms}.")
    return lines


def order_cancel_url(order) -> str:
    """The signed link to the cancel page, absolute, for the customer's emails only: never on the voucher,
    which every provider of the trip is shown. In the language the tourist booked in, as the email."""
    from django.urls import reverse

    from marketplace.bookings.services import order_language

    from .views import order_cancel_token

    with translation.override(order_language(order)):
        path = reverse("packages:order-cancel-signed", kwargs={"token": order_cancel_token(order)})
    return public_url(path)


def booking_voucher_pdf(*, order, language: str | None = None) -> bytes:
    """One PDF for the order's packages: the DMC's name and logo, reference, travellers, per package the
    price paid and the cancellation terms that apply, day by day what/when/where (the optional extras
    the traveller chose among them, marked as such), each operator's contact and a QR code with the
    order reference."""
    bookings = list(
        PackageBooking.objects.filter(order_line__order=order)
        .select_related("package")
        .prefetch_related("package__cancellation_tiers")
        .order_by("starts_on", "pk")
    )
    parts = list(
        PackageBookingPart.objects.filter(booking__in=bookings)
        .select_related("service", "operator", "component")
        .order_by("date", "start_time", "pk")
    )
    travellers = getattr(order, "travellers", None)
    buffer = io.BytesIO()
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        # Uncompressed page streams: a few KB more, and the text stays searchable by mail filters and tests.
        pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
        pdf.setTitle(f"{_('Travel voucher')} {order.number}")
        pdf.setSubject(order.number)
        qr = qrcode.make(f"{settings.DMC_NAME}|order|{order.number}")
        qr_buffer = io.BytesIO()
        qr.save(qr_buffer, format="PNG")
        qr_buffer.seek(0)
        pdf.drawImage(ImageReader(qr_buffer), A4[0] - 55 * mm, A4[1] - 55 * mm, 40 * mm, 40 * mm)
        out = _Writer(pdf)
        logo = finders.find(LOGO_STATIC)
        if logo:
            pdf.drawImage(logo, MARGIN, A4[1] - MARGIN - 10 * mm, 12 * mm, 12 * mm, mask="auto")
        out.line(settings.DMC_NAME, size=11, bold=True, indent=15 * mm, gap=9 * mm)
        out.line(_("Travel voucher"), size=18, bold=True, gap=8 * mm)
        out.line(f"{_('Order reference')}: {order.number}", size=13, bold=True, gap=7 * mm)
        if travellers is not None:
            out.line(f"{_('Lead traveller')}: {travellers.lead_name} · {travellers.lead_phone}")
            for name in travellers.other_travellers:
                out.line(f"{_('Traveller')}: {name}")
        out.y -= 4 * mm
        for booking in bookings:
            party = Party.from_dict(booking.party)
            out.line(booking.package.title, size=13, bold=True, gap=6 * mm)
            out.line(
                f"{_('From')} {date_format(booking.starts_on, 'j F Y')} · {party_label(party)}"
                + (f" · {_('Cancelled')}" if booking.status == PackageBooking.Status.CANCELLED else "")
            )
            out.line(f"{_('Price paid')}: {format_money(booking.price)}")
            if booking.package.meeting_point:
                out.line(f"{_('Meeting point')}: {booking.package.meeting_point}")
            for text in cancellation_terms(booking):
                out.line(text, size=9, gap=4.5 * mm)
            current_day = None
            for part in (p for p in parts if p.booking_id == booking.pk):
                if part.date != current_day:
                    current_day = part.date
                    day_number = (part.date - booking.starts_on).days + 1
                    label = _("Day %(n)d") % {"n": day_number}
                    out.line(f"{label} · {date_format(part.date, 'j F Y')}", bold=True, gap=5.5 * mm)
                when = _("all day") if part.all_day else part.start_time.strftime("%H:%M")
                places = ngettext("%(n)d place", "%(n)d places", part.places) % {"n": part.places}
                extra = f" · {_('optional extra')}" if part.is_extra else ""
                out.line(f"{when} · {part.service.name} · {places}{extra}", indent=4 * mm)
                where = part.service.meeting_point or part.operator.address
                out.line(f"{_('Where')}: {where}", size=9, indent=8 * mm, gap=4.5 * mm)
                contact = " · ".join(x for x in (part.operator.name, part.operator.phone, part.operator.email) if x)
                out.line(f"{_('Contact')}: {contact}", size=9, indent=8 * mm, gap=4.5 * mm)
                if part.component is not None and part.component.note:
                    out.line(part.component.note, size=9, indent=8 * mm, gap=4.5 * mm)
            out.y -= 4 * mm
        out.line(_("Show this voucher (printed or on your phone) to each provider."), size=9)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
