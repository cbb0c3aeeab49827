"""The party reads as a person would write it, in every language: one adult, two adults."""

import pytest
from django.utils import translation

from operators.pricing import Party
from packages.voucher import party_label


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("it", "1 adulto, 1 neonato", "2 adulti, 2 over 65, 3 neonati"),
        ("en", "1 adult, 1 infant", "2 adults, 2 seniors, 3 infants"),
        ("fr", "1 adulte, 1 bébé", "2 adultes, 2 seniors, 3 bébés"),
        ("de", "1 Erwachsener, 1 Kleinkind", "2 Erwachsene, 2 Senioren, 3 Kleinkinder"),
    ],
)
def test_one_person_is_singular_and_more_are_plural(language, one, many):
    with translation.override(language):
        assert party_label(Party(adults=1, infants=1)) == one
        assert party_label(Party(adults=2, seniors=2, infants=3)) == many
