"""The demo's API key: the German partner (Toskana Reisen GmbH) gets a fresh key at every load_demo
(a secret cannot be read back, so the previous demo key is deleted and replaced: loading twice leaves
one key), printed with the logins beside a curl command that works against `make demo` at once."""

from django.conf import settings

from marketplace.core.demo import DEMO_FOOTER
from marketplace.trade.models import TradePartner

from .keys import api_key_create

PARTNER_SLUG = "toskana-reisen"
KEY_NAME = "Demo key"


def load(stdout=None) -> None:
    partner = TradePartner.objects.filter(slug=PARTNER_SLUG).first()
    if partner is None:
        return
    partner.api_keys.filter(name=KEY_NAME).delete()  # its bookings stay, without their key
    _key, secret = api_key_create(partner=partner, name=KEY_NAME)
    base = settings.SITE_URL.rstrip("/")
    DEMO_FOOTER.extend(
        [
            f"OCTO API key of {partner.legal_name} (shown once): {secret}",
            f'  curl -H "Authorization: Bearer {secret}" {base}/api/octo/products',
            f"  API documentation: {base}/api/octo/docs",
        ]
    )
    if stdout is not None:
        stdout.write(f"  octo: API key created for {partner.legal_name} (printed below)")
