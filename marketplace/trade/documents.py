"""A trade booking's voucher and a partner's monthly statement as PDF and CSV.

The voucher is the shop's (packages.voucher.voucher_pdf: one travel document for every channel), with
the partner's name and reference on it; the statement PDF is drawn with the same writer.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from marketplace.core.csv_export import csv_writer
from operators.pricing import Party
from packages.voucher import PdfWriter, VoucherTrip, party_label, voucher_pdf

from .models import TradeBooking
from .statements import Statement


def trade_voucher_pdf(*, booking: TradeBooking, language: str | None = None) -> bytes:
    """The travel voucher of one partner booking (any status; a cancelled one says so)."""
    parts = list(booking.parts.select_related("service", "operator", "component").order_by("date", "start_time", "pk"))
    product = booking.package or booking.service
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        header = [f"{_('Booked by')}: {booking.partner.legal_name}"]
        if booking.partner_reference:
            header.append(f"{_('Partner reference')}: {booking.partner_reference}")
        if booking.status != TradeBooking.Status.CONFIRMED:
            header.append(f"{_('Status')}: {booking.get_status_display()}")
        lead = f"{booking.lead_first_name} {booking.lead_last_name}"
        if booking.lead_phone:
            lead += f" · {booking.lead_phone}"
        trip = VoucherTrip(
            title=getattr(product, "title", None) or product.name,
            starts_on=booking.starts_on,
            party=Party.from_dict(booking.party),
            parts=parts,
            cancelled=booking.status == TradeBooking.Status.CANCELLED,
            meeting_point=getattr(product, "meeting_point", "") or "",
        )
        return voucher_pdf(
            reference=booking.code,
            reference_label=_("Booking code"),
            qr_kind="trade",
            lead=lead,
            travellers=list(booking.travellers or ()),
            trips=[trip],
            header_lines=header,
        )


def _row_values(row) -> list:
    b = row.booking
    return [
        b.code,
        b.partner_reference,
        b.starts_on.isoformat(),
        str(b.package or b.service),
        f"{b.lead_first_name} {b.lead_last_name}",
        b.get_status_display(),
        row.net,
        row.fee,
        row.due,
    ]


def statement_headers() -> list[str]:
    return [
        _("Booking code"),
        _("Your reference"),
        _("Date"),
        _("Product"),
        _("Lead traveller"),
        _("Status"),
        _("Net (EUR)"),
        _("Cancellation fee (EUR)"),
        _("Due (EUR)"),
    ]


def statement_csv(*, statement: Statement, file) -> None:
    """Write the statement to `file` (text), formula-safe, with a totals line."""
    writer = csv_writer(file)
    writer.writerow(statement_headers())
    for row in statement.rows:
        writer.writerow(_row_values(row))
    writer.writerow([_("Total"), "", "", "", "", "", statement.total_net, statement.total_fees, statement.total_due])


def statement_pdf(*, statement: Statement, language: str | None = None) -> bytes:
    """The monthly statement on A4: the partner, the month, a line per booking, the totals."""
    buffer = io.BytesIO()
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
        month = date_format(statement.month, "YEAR_MONTH_FORMAT")
        pdf.setTitle(f"{_('Statement')} {month}")
        out = PdfWriter(pdf)
        out.y = A4[1] - 20 * mm
        out.line(settings.DMC_NAME, size=11, bold=True)
        out.line(f"{_('Statement')} · {month}", size=18, bold=True, gap=8 * mm)
        partner = statement.partner
        out.line(partner.legal_name, bold=True)
        out.line(f"{_('VAT number or tax id')}: {partner.tax_id}", size=9)
        for text in partner.address.splitlines():
            out.line(text, size=9, gap=4.5 * mm)
        out.y -= 4 * mm
        if not statement.rows:
            out.line(_("No bookings travel this month."))
        for row in statement.rows:
            b = row.booking
            out.line(
                f"{date_format(b.starts_on, 'SHORT_DATE_FORMAT')} · {b.code} · {b.package or b.service}", bold=True
            )
            detail = [f"{b.lead_first_name} {b.lead_last_name}", party_label(Party.from_dict(b.party))]
            if b.partner_reference:
                detail.append(f"{_('Your reference')}: {b.partner_reference}")
            out.line(" · ".join(detail), size=9, indent=4 * mm, gap=4.5 * mm)
            out.line(
                f"{b.get_status_display()} · {_('Net')}: {row.net} € · {_('Fee')}: {row.fee} € · "
                f"{_('Due')}: {row.due} €",
                size=9,
                indent=4 * mm,
            )
        out.y -= 4 * mm
        out.line(f"{_('Net of confirmed bookings')}: {statement.total_net} €")
        out.line(f"{_('Cancellation fees')}: {statement.total_fees} €")
        out.line(f"{_('Total due')}: {statement.total_due} €", size=13, bold=True)
        if statement.settled is not None:
            out.line(_("Settled on %(day)s.") % {"day": date_format(statement.settled.settled_at, "DATE_FORMAT")})
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
