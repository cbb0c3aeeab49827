"""The packages' scenario fixtures (a two-operator package, today), for the facts a real order writes."""

from tests.packages.conftest import today, two_operator_package  # noqa: F401
