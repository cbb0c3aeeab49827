"""Absolute links say where the site really is (settings.SITE_URL), not http://localhost/ or example.com.

`PORT=8123 make demo` gives load_demo and the server SITE_URL=http://127.0.0.1:8123: pages' canonical,
hreflang and Open Graph URLs, emails and vouchers all come from SITE_URL (tests/core/test_seo.py: even with
a Wagtail Site nobody synced), and the Sites are synced for the admin and Django's own emails.
"""

import re

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core import mail
from django.core.management import call_command
from oscar.apps.order.models import Order
from wagtail.models import Page, Site

from marketplace.bookings.emails import order_send_confirmation
from tests.payments.conftest import checkout_to_payment_page, demo_mode, place_order, product  # noqa: F401

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8123"


def _absolute_links(html: str) -> list[str]:
    """canonical, og:url and hreflang alternates of a page."""
    links = re.findall(r'<link rel="(?:canonical|alternate)"[^>]*href="([^"]+)"', html)
    links += re.findall(r'<meta property="og:url" content="([^"]+)"', html)
    return links


def test_after_migrate_placeholder_sites_take_site_url_and_edited_ones_stay(settings):
    settings.SITE_URL = SITE_URL
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    site, _ = Site.objects.update_or_create(  # what Wagtail's migration leaves: a placeholder host
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": root}
    )
    DjangoSite.objects.filter(pk=settings.SITE_ID).update(domain="example.com")

    call_command("migrate", verbosity=0)

    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert DjangoSite.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8123"

    site.hostname, site.port = "www.example.org", 443  # an editor's choice is kept
    site.save()
    call_command("migrate", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("www.example.org", 443)


def test_the_confirmation_email_and_the_voucher_link_to_site_url(client, settings, product, demo_mode):  # noqa: F811
    settings.SITE_URL = SITE_URL
    DjangoSite.objects.filter(pk=settings.SITE_ID).update(domain="example.com")  # an unsynced Site
    checkout_to_payment_page(client, product)
    place_order(client)
    order = Order.objects.get()
    mail.outbox.clear()

    order_send_confirmation(order=order)

    [message] = mail.outbox
    html = "".join(content for content, _ in getattr(message, "alternatives", []))
    bodies = [message.body, html]
    urls = re.findall(r"https?://\S+", message.body) + re.findall(r'href="(https?://[^"]+)"', html)
    assert urls and all(url.startswith(SITE_URL + "/") for url in urls), urls
    assert "example.com" not in " ".join(bodies)
