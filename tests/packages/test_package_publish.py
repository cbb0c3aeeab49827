"""Publishing, editing and withdrawing keep the Oscar product in step."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_class

from marketplace.shop.partner.strategy import RetailStrategy
from packages.models import Package
from packages.selectors import PackageUnavailable
from packages.services import package_publish, package_sync_product, package_withdraw
from tests.packages.factories import make_package

pytestmark = pytest.mark.django_db


def test_publish_creates_a_public_product_that_needs_no_shipping_with_its_from_price(three_services):
    package = make_package(services=three_services)

    product = package.product
    assert product.is_public and product.title == "Vigne e ville"
    assert product.product_class.slug == "package"
    assert not product.product_class.requires_shipping and not product.product_class.track_stock
    assert {o.code for o in product.product_class.options.all()} == {"date", "party"}
    assert package.price_from == Decimal("286.00")
    info = RetailStrategy().fetch_for_product(product)
    assert info.price.incl_tax == Decimal("286.00") and info.availability.is_available_to_buy
    assert isinstance(get_class("partner.strategy", "Selector")().strategy(), RetailStrategy)  # the fork is used


def test_edit_and_withdraw_follow_on_the_product(three_services):
    package = make_package(services=three_services)
    package.title_it = "Ville e vigne di Lucca"
    package.save()
    package_sync_product(package=package)
    package.product.refresh_from_db()
    assert package.product.title == "Ville e vigne di Lucca"

    package_withdraw(package=package)
    package.product.refresh_from_db()
    assert not package.product.is_public


def test_a_package_without_components_cannot_be_published(db):
    package = Package.objects.create(title="Vuoto", slug="vuoto", area="lucca")
    with pytest.raises(PackageUnavailable):
        package_publish(package=package)
    assert package.product_id is None
