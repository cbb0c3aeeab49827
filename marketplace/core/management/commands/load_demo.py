"""Load the demo destination: people, then each app's demo data, then print the logins.

Each app contributes one idempotent step (a function taking `stdout`) listed in DEMO_STEPS, in
dependency order: operators before packages, packages before the pages that show them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

DEMO_STEPS = [
    "marketplace.core.demo.load_users",
    "operators.demo.load",
    "packages.demo.load",
    # After operators' and packages' steps (it awards labels to their demo rows when they exist).
    "certifications.demo.load",
    "cms.demo.load",
    # After operators and packages: the trade partners' contracts name their services and packages.
    "marketplace.trade.demo.load",
    # After the trade partners: an API key for the German partner, printed with the logins.
    "marketplace.octo.demo.load",
    # Last: two years of bookings of every channel over the rows above, their facts, the official flows.
    "marketplace.observatory.demo.load",
]


class Command(BaseCommand):
    help = "Load the demo destination (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet_logins=False, **options):
        from auditlog.context import disable_auditlog

        from marketplace.core.demo import DEMO_FOOTER

        DEMO_FOOTER.clear()  # this run's lines only (a quiet run before leaves its own)
        # The demo's rows are not anybody's changes: no history entry for each of its thousands of saves
        # (and no minutes added to `make demo`). Changes made afterwards in the demo are recorded.
        with disable_auditlog():
            for dotted in DEMO_STEPS:
                self.stdout.write(f"· {dotted}")
                import_string(dotted)(stdout=self.stdout)
        if not quiet_logins:
            self.print_logins()

    def print_logins(self):
        from marketplace.core.demo import DEMO_FOOTER, DEMO_LOGINS

        base = settings.SITE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"\nDemo destination ready at {base}/"))
        self.stdout.write(f"Log in at {base}/it/shop/accounts/login/ (Wagtail admin: {base}/admin/)\n")
        width = max(len(login.email) for login in DEMO_LOGINS)
        for login in DEMO_LOGINS:
            label = "superuser" if login.superuser else login.role.value
            self.stdout.write(f"  {label:<16} {login.email:<{width}}  password: {login.password}")
        for line in DEMO_FOOTER:
            self.stdout.write(line)
        DEMO_FOOTER.clear()
        self.stdout.write(self.style.WARNING("Payments are in DEMO mode: no money moves.\n"))
