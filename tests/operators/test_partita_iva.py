import pytest
from django.core.exceptions import ValidationError

from operators.validators import validate_partita_iva


@pytest.mark.parametrize("value", ["00743110157", "01114601006", "02118311006"])
def test_real_partite_iva_are_valid(value):
    validate_partita_iva(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("00743110158", "partita_iva_check_digit"),  # last digit changed
        ("00743110517", "partita_iva_check_digit"),  # two digits swapped
        ("0074311015", "partita_iva_format"),
        ("IT00743110157", "partita_iva_format"),
        ("00000000000", "partita_iva_format"),
    ],
)
def test_wrong_partite_iva_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_partita_iva(value)
    assert error.value.code == code
