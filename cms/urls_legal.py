"""The legal texts' stable URLs, inside the language prefix and outside any namespace, so every template
(the footer, the checkout's "I accept the terms of sale") can write {% url 'legal-terms' %}."""

from django.urls import path

from . import views
from .models import LegalKind

urlpatterns = [
    path("legal/terms/", views.legal_redirect, {"kind": LegalKind.TERMS}, name="legal-terms"),
    path("legal/privacy/", views.legal_redirect, {"kind": LegalKind.PRIVACY}, name="legal-privacy"),
]
