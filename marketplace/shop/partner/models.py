"""Forked only for the Strategy (strategy.py); Oscar's partner models are unchanged."""

from oscar.apps.partner.models import *  # noqa: F403
