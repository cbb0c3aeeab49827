"""The demo's Sites and pages use SITE_URL (`PORT=8123 make demo`): tests/cms/test_site_url.py says why."""

from io import StringIO

import pytest
from django.contrib.sites.models import Site as DjangoSite
from wagtail.models import Site

from cms import demo as cms_demo
from tests.cms.test_site_url import SITE_URL, _absolute_links

pytestmark = pytest.mark.django_db


def test_the_demo_sites_and_a_pages_canonical_url_use_site_url(client, settings):
    settings.SITE_URL = SITE_URL
    cms_demo.load(stdout=StringIO())  # the pages' step of load_demo, run again where SITE_URL now says

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert DjangoSite.objects.get_current().domain == "127.0.0.1:8123"

    html = client.get("/it/").content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}/it/">' in html
    links = _absolute_links(html)
    assert len(links) >= 3 and all(link.startswith(SITE_URL + "/") for link in links), links
