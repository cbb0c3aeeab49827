from django.core.management.base import BaseCommand, CommandError

from marketplace.octo.keys import api_key_create
from marketplace.trade.models import TradePartner


class Command(BaseCommand):
    help = "Create an OCTO API key for a trade partner and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("partner_slug")
        parser.add_argument("--name", default="Shell")
        parser.add_argument("--test-mode", action="store_true")

    def handle(self, *args, partner_slug, name, test_mode, **options):
        partner = TradePartner.objects.filter(slug=partner_slug).first()
        if partner is None:
            raise CommandError(f"No trade partner with slug {partner_slug!r}.")
        key, secret = api_key_create(partner=partner, name=name, test_mode=test_mode)
        self.stdout.write(f"API key for {partner.legal_name} ({key.name}): {secret}")
