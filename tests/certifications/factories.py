"""Factories for schemes, and for the stand-in subjects of tests/certifications/subjects_app."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from certifications.models import Scheme
from tests.certifications.subjects_app.models import Component, Operator, Package, Service

ALL_SUBJECTS = ["certsubjects.operator", "certsubjects.service", "certsubjects.package"]


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


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agriturismo {n}")
    email = factory.Sequence(lambda n: f"info{n}@agriturismo.example")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    operator = factory.SubFactory(OperatorFactory)
    name = factory.Sequence(lambda n: f"Wine tasting {n}")


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    name = factory.Sequence(lambda n: f"Weekend in Lucca {n}")


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

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
