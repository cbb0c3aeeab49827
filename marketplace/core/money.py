"""One rounding rule for money: prices, markups, commissions and refunds all round the same way.

Halves go up (away from zero, ROUND_HALF_UP), as a customer and an operator compute a percentage by hand;
Python's default (half-even, banker's rounding) would make a 5 % commission on € 30.50 € 1.52 while
the price and the refund computed beside it round € x.xx5 up.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money_round(value) -> Decimal:
    """`value` (a Decimal, int or str) in euros, to the cent."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount, currency: str | None = None) -> str:
    """`amount` as the page's language writes money: "€674.96" in English, "674,96 €" in Italian.

    The one format of the site (Oscar's `currency` template filter, Babel underneath), for Python code
    that writes prices into messages, emails and PDFs; templates use `{{ amount|currency }}`."""
    from oscar.templatetags.currency_filters import currency as oscar_currency

    return oscar_currency(amount, currency)
