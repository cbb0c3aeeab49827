"""Signals operators sends for apps that read it (DESIGN.md: operators reads no other app).

`availability_changed(sender=Service, service_id=…)`: a service's slots were created or changed in
bulk (rule_generate_slots), which sends no model signal. The shop's automatic single-service packages
refresh their "from" price on it (packages.receivers)."""

from django.dispatch import Signal

availability_changed = Signal()
