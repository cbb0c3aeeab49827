"""package_refund_percent at the boundaries of the tiers (calendar days in Europe/Rome)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from packages.models import CancellationTier
from packages.services import package_refund_percent

ROME = ZoneInfo("Europe/Rome")
DEPARTURE = dt.date(2030, 5, 15)
TIERS = [CancellationTier(days_before=14, refund_percent=100), CancellationTier(days_before=3, refund_percent=50)]


@pytest.mark.parametrize(
    ("at", "percent"),
    [
        (dt.datetime(2030, 4, 1, 12, 0, tzinfo=ROME), 100),
        (dt.datetime(2030, 5, 1, 23, 59, tzinfo=ROME), 100),  # exactly 14 days before
        (dt.datetime(2030, 5, 2, 0, 0, tzinfo=ROME), 50),  # 13 days before
        (dt.datetime(2030, 5, 12, 23, 59, tzinfo=ROME), 50),  # exactly 3 days before
        (dt.datetime(2030, 5, 13, 0, 0, tzinfo=ROME), 0),  # 2 days before
        (dt.datetime(2030, 5, 15, 9, 0, tzinfo=ROME), 0),  # departure day
        (dt.datetime(2030, 5, 20, 9, 0, tzinfo=ROME), 0),  # after
        # 22:30 UTC on 1 May is already 2 May in Rome: 13 days, 50 %.
        (dt.datetime(2030, 5, 1, 22, 30, tzinfo=dt.UTC), 50),
    ],
)
def test_refund_percent_at_the_boundaries(at, percent):
    assert package_refund_percent(tiers=TIERS, starts_on=DEPARTURE, at=at) == percent


def test_no_tiers_means_no_refund():
    assert package_refund_percent(tiers=[], starts_on=DEPARTURE, at=dt.datetime(2030, 1, 1, tzinfo=ROME)) == 0
