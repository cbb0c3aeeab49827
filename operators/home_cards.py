"""Cards other apps add to the operator's landing dashboard (operators:home), as Wagtail apps add
homepage panels: `packages` the month's money (its statement), `certifications` the labels about to
expire. `operators` reads nothing of them (DESIGN.md); each registers a function from its
`AppConfig.ready()`:

    register_home_card("revenue", month_revenue_card)   # (operator, user, today) -> HomeCard | None

A card is a template and its context; the dashboard renders them in `order`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomeCard:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


_cards: dict[str, Callable[..., HomeCard | None]] = {}


def register_home_card(key: str, card: Callable[..., HomeCard | None]) -> None:
    """Register (or replace: tests do) the card function under `key`."""
    _cards[key] = card


def unregister_home_card(key: str) -> None:
    _cards.pop(key, None)


def home_cards(*, operator, user, today: dt.date) -> list[HomeCard]:
    cards = [card(operator=operator, user=user, today=today) for card in _cards.values()]
    return sorted((c for c in cards if c is not None), key=lambda c: c.order)
