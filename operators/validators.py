"""Validators for operators' data (Italian VAT numbers, weekday sets)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def partita_iva_check_digit(first_ten: str) -> int:
    """The Luhn-style check digit of an Italian Partita IVA (DPR 633/1972, art. 35).

    Digits in odd positions (1st, 3rd, …) count as they are; digits in even positions are doubled
    and, when the double exceeds 9, reduced by 9. The check digit makes the total a multiple of 10."""
    total = 0
    for index, char in enumerate(first_ten):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def normalize_partita_iva(value: str) -> str:
    """A Partita IVA as typed (`IT 007 431 101 57`, `it00743110157`) reduced to its 11 characters: the
    spaces, dots and dashes people type and the country prefix of the EU VAT number go, the rest is
    left for `validate_partita_iva` to judge."""
    value = "".join(ch for ch in (value or "") if ch not in " \t.-/").upper()
    return value.removeprefix("IT")


def validate_partita_iva(value: str) -> None:
    value = (value or "").strip()
    if len(value) != 11 or not value.isdigit():
        raise ValidationError(_("A Partita IVA has exactly 11 digits."), code="partita_iva_format")
    if value[:7] == "0000000":
        raise ValidationError(_("This Partita IVA has no company number."), code="partita_iva_format")
    if partita_iva_check_digit(value[:10]) != int(value[10]):
        raise ValidationError(
            _("This Partita IVA is not valid: its check digit does not match. Please check for typos."),
            code="partita_iva_check_digit",
        )


def validate_weekdays(value: str) -> None:
    if value and (not value.isdigit() or any(c not in "0123456" for c in value) or len(set(value)) != len(value)):
        raise ValidationError(_("Use digits 0 (Monday) to 6 (Sunday), each once."), code="weekdays")
