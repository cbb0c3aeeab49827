"""Make or refresh the automatic one-component packages that sell operators' services alone.

Receivers keep them in step as services, rates and operators change; this brings existing data (a
database from before single services were sold, or after a failed sync) in line. Idempotent."""

from django.core.management.base import BaseCommand

from packages.services import service_packages_sync


class Command(BaseCommand):
    help = "Create, update or withdraw the shop packages that sell single services (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--service", type=int, action="append", help="only this service id (repeatable)")

    def handle(self, *args, service=None, **options):
        count = service_packages_sync(service_ids=service)
        self.stdout.write(f"single services: {count} packages in step with their services")
