"""Factories for schemes, and subjects built on the real operators and packages models.

Operators, services and packages come from tests/operators and tests/packages' factories, so the
labels are tested on the models the site shows them on (policies in operators/ and packages/).
"""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from certifications.models import Scheme
from operators.models import OperatorMembership
from packages.models import Package, PackageComponent
from tests.operators import factories as operator_factories

ALL_SUBJECTS = ["operators.operator", "operators.service", "packages.package"]


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    name = factory.Sequence(lambda n: f"Eco mark {n}")
    slug = factory.Sequence(lambda n: f"eco-mark-{n}")
    issuer = "Regione Toscana"
    awardable_to = factory.LazyFunction(lambda: list(ALL_SUBJECTS))
    expires = True
    validity_months = 12
    verified_by = Scheme.Verifier.DMC


def operator_member_add(*, operator, user) -> OperatorMembership:
    """A team member (not an owner: owners also get the expiry reminders)."""
    return OperatorMembership.objects.create(operator=operator, user=user, role=OperatorMembership.Role.STAFF)


class OperatorFactory(operator_factories.OperatorFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            for user in extracted:
                operator_member_add(operator=self, user=user)


class ServiceFactory(operator_factories.ServiceFactory):
    operator = factory.SubFactory(OperatorFactory)


class PackageFactory(factory.django.DjangoModelFactory):
    """A bare package (no rates, no Oscar product): enough to carry labels."""

    class Meta:
        model = Package

    title = factory.Sequence(lambda n: f"Weekend a Lucca {n}")
    slug = factory.Sequence(lambda n: f"weekend-lucca-{n}")
    area = "lucca"


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageComponent

    package = factory.SubFactory(PackageFactory)
    service = factory.SubFactory(ServiceFactory)


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name: str = "plaque.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
