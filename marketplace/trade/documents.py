"""A partner booking's travel voucher and the monthly statement, as PDF (reportlab) and CSV.

The voucher is drawn with the shop voucher's own machinery (packages.voucher: wrapped lines, page
breaks, the party's words), with the partner's name and reference and a QR code of the booking code
that operators scan at the meeting point."""

from __future__ import annotations

import io

import qrcode
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from marketplace.core.csv_export import csv_writer
from marketplace.core.money import format_money
from operators.pricing import Party
from packages.voucher import _Writer, party_label

from .models import TradeBooking
from .statements import Statement


def _canvas(buffer, title: str, subject: str) -> canvas.Canvas:
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)  # searchable text, as the shop's voucher
    pdf.setTitle(title)
    pdf.setSubject(subject)
    return pdf


def trade_voucher_pdf(*, booking: TradeBooking, language: str | None = None) -> bytes:
    parts = list(booking.parts.select_related("service", "operator").order_by("date", "start_time", "pk"))
    buffer = io.BytesIO()
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        pdf = _canvas(buffer, f"{_('Travel voucher')} {booking.code}", booking.code)
        qr = io.BytesIO()
        qrcode.make(f"{settings.DMC_NAME}|trade|{booking.code}").save(qr, format="PNG")
        qr.seek(0)
        pdf.drawImage(ImageReader(qr), A4[0] - 55 * mm, A4[1] - 55 * mm, 40 * mm, 40 * mm)
        out = _Writer(pdf)
        out.line(settings.DMC_NAME, size=11, bold=True)
        out.line(_("Travel voucher"), size=18, bold=True, gap=8 * mm)
        out.line(f"{_('Booking code')}: {booking.code}", size=13, bold=True, gap=7 * mm)
        out.line(f"{_('Booked by')}: {booking.partner.legal_name}")
        if booking.partner_reference:
            out.line(f"{_('Their reference')}: {booking.partner_reference}")
        lead = f"{booking.lead_first_name} {booking.lead_last_name}"
        out.line(f"{_('Lead traveller')}: {lead}" + (f" · {booking.lead_phone}" if booking.lead_phone else ""))
        for name in booking.travellers or ():
            out.line(f"{_('Traveller')}: {name}")
        out.y -= 4 * mm
        out.line(str(booking.product), size=13, bold=True, gap=6 * mm)
        status = "" if booking.status == TradeBooking.Status.CONFIRMED else f" · {booking.get_status_display()}"
        out.line(
            f"{date_format(booking.starts_on, 'DATE_FORMAT')} · {party_label(Party.from_dict(booking.party))}{status}"
        )
        for part in parts:
            when = _("all day") if part.all_day else part.start_time.strftime("%H:%M")
            places = ngettext("%(n)d place", "%(n)d places", part.places) % {"n": part.places}
            out.line(f"{date_format(part.date, 'DATE_FORMAT')} {when} · {part.service.name} · {places}", indent=4 * mm)
            out.line(f"{_('Where')}: {part.service.meeting_point or part.operator.address}", size=9, indent=8 * mm)
            contact = " · ".join(x for x in (part.operator.name, part.operator.phone, part.operator.email) if x)
            out.line(f"{_('Contact')}: {contact}", size=9, indent=8 * mm, gap=4.5 * mm)
        out.y -= 4 * mm
        out.line(_("Show this voucher (printed or on your phone) to each provider."), size=9)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def statement_columns() -> list[str]:
    return [_("Booking code"), _("Your reference"), _("Product"), _("Date"), _("Lead traveller"), _("Status"),
            _("Net (EUR)"), _("Cancellation fee (EUR)"), _("Due (EUR)")]  # fmt: skip


def statement_rows(statement: Statement) -> list[list]:
    return [
        [r.booking.code, r.booking.partner_reference, str(r.booking.product), r.booking.starts_on.isoformat(),
         f"{r.booking.lead_first_name} {r.booking.lead_last_name}", r.booking.get_status_display(), r.net, r.fee, r.due]
        for r in statement.rows
    ]  # fmt: skip


def statement_csv(statement: Statement, file) -> None:
    writer = csv_writer(file)
    writer.writerow(statement_columns())
    writer.writerows(statement_rows(statement))
    writer.writerow(["", "", "", "", "", _("Total"), statement.total_net, statement.total_fees, statement.total_due])


def statement_pdf(statement: Statement) -> bytes:
    buffer = io.BytesIO()
    month = date_format(statement.month, "YEAR_MONTH_FORMAT")
    pdf = _canvas(buffer, f"{_('Statement')} {statement.partner.legal_name} {month}", month)
    out = _Writer(pdf)
    out.line(settings.DMC_NAME, size=11, bold=True)
    out.line(f"{_('Statement')} · {month}", size=16, bold=True, gap=7 * mm)
    out.line(statement.partner.legal_name, bold=True)
    out.line(f"{_('VAT number or tax id')}: {statement.partner.tax_id}", size=9, gap=7 * mm)
    for row in statement.rows:
        b = row.booking
        out.line(
            f"{b.starts_on:%d/%m/%Y} · {b.code} · {b.partner_reference or '—'} · {b.product} · "
            f"{b.lead_first_name} {b.lead_last_name} · {b.get_status_display()} · {_('due')} {format_money(row.due)}",
            size=9,
        )
    out.y -= 4 * mm
    out.line(f"{_('Net of confirmed bookings')}: {format_money(statement.total_net)}")
    out.line(f"{_('Cancellation fees')}: {format_money(statement.total_fees)}")
    out.line(f"{_('Total due')}: {format_money(statement.total_due)}", bold=True)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
