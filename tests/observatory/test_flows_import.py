"""The official flows import: all of a file or nothing, line numbers and reasons for bad lines, a
re-import replacing the same (municipality, month) pairs only, the delimiters and BOM regional files come
with; and the staff's upload page."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from marketplace.core.roles import Role, role_groups_sync
from marketplace.observatory.flows import flows_import, flows_import_path
from marketplace.observatory.models import OfficialFlow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "comune;anno;mese;provenienza_tipo;provenienza;arrivi;presenze\n"


def csv_file(text: str, *, bom: bool = False) -> io.BytesIO:
    return io.BytesIO((("\ufeff" if bom else "") + text).encode())


def stored() -> set[tuple]:
    return set(OfficialFlow.objects.values_list("municipality", "month", "origin_kind", "origin", "arrivals", "nights"))


def test_the_sample_file_covers_the_eleven_municipalities_over_two_years():
    result = flows_import_path()
    assert result.ok, result.errors[:3]
    assert len(result.municipalities) == 11 and len(result.months) == 24
    assert OfficialFlow.objects.count() == result.rows > 5000
    assert OfficialFlow.objects.filter(origin_kind="country", origin="DE").exists()
    assert OfficialFlow.objects.filter(origin_kind="region", origin="Lombardia").exists()


def _bad_lines_import():
    return flows_import(csv_file(HEADER + (
        "Lucca;2025;1;italia;Toscana;100;200\n"          # 2: good
        "Atlantide;2025;1;estero;DE;1;2\n"               # 3: unknown municipality
        "Capannori;2025;13;estero;DE;1;2\n"              # 4: no such month
        "Capannori;2025;2;estero;Narnia;1;2\n"           # 5: unknown origin
        "Capannori;2025;2;estero;DE;5;4\n"               # 6: fewer nights than arrivals
        "Capannori;2025;2;estero;DE;x;4\n"               # 7: not a number
        "Capannori;2025;2;estero;DE\n"                   # 8: cells missing
        "Lucca;2025;1;italia;Toscana;1;2\n"              # 9: duplicate of line 2
    )), source_name="bad.csv")  # fmt: skip


def test_a_file_with_bad_lines_is_refused_with_each_line_and_reason_and_nothing_is_kept():
    flows_import(csv_file(HEADER + "Lucca;2025;1;italia;Toscana;10;20\n"), source_name="old.csv")
    before = stored()
    with translation.override("en"):
        result = _bad_lines_import()
    assert not result.ok and result.error_count == 7
    assert [error.line for error in result.errors] == [3, 4, 5, 6, 7, 8, 9]
    messages = [error.message for error in result.errors]
    assert "Atlantide" in messages[0] and "month" in messages[1] and "Narnia" in messages[2]
    assert "fewer than arrivi" in messages[3] and "whole number" in messages[4] and "line 2" in messages[6]
    assert stored() == before  # the good line 2 was not kept either


def test_a_re_import_replaces_the_same_months_and_municipalities_only():
    flows_import(csv_file(HEADER + (
        "Lucca;2025;1;italia;Toscana;10;20\n"
        "Lucca;2025;2;italia;Toscana;11;22\n"
        "Lucca;2025;2;estero;DE;5;15\n"
        "Poppi;2025;2;estero;DE;3;9\n"
    )), source_name="first.csv")  # fmt: skip
    result = flows_import(csv_file(HEADER + "Lucca;2025;2;italia;Lombardia;7;14\n"), source_name="second.csv")
    assert result.ok and result.replaced == 2 and result.rows == 1
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    assert stored() == {
        ("lucca", jan, "region", "Toscana", 10, 20),      # another month: kept
        ("lucca", feb, "region", "Lombardia", 7, 14),     # the month re-imported: only the new lines
        ("poppi", feb, "country", "DE", 3, 9),            # another municipality: kept
    }  # fmt: skip


@pytest.mark.parametrize("variant", ["semicolon-bom", "comma-periodo-names"])
def test_regional_file_variants_read_the_same(variant):
    if variant == "semicolon-bom":
        file = csv_file(HEADER + "Castel San Niccolò;2026;3;estero;Germania;4;12\n"
                                 "046034;2026;3;italia;Emilia Romagna;1.234;2.500\n", bom=True)  # fmt: skip
    else:
        file = csv_file("Comune,Periodo,Provenienza,Arrivi,Presenze\r\n"
                        "CASTEL SAN NICCOLO',2026-03,de,4,12\r\n"
                        "villa basilica,2026-03,Emilia-Romagna,1234,2500\r\n")  # fmt: skip
    result = flows_import(file, source_name=f"{variant}.csv")
    assert result.ok, result.errors
    march = dt.date(2026, 3, 1)
    assert stored() == {("castel-san-niccolo", march, "country", "DE", 4, 12),
                        ("villa-basilica", march, "region", "Emilia-Romagna", 1234, 2500)}  # fmt: skip


def test_the_staff_upload_page_lists_errors_or_what_was_imported(client):
    role_groups_sync()
    url = reverse("observatory_flows_import")
    client.force_login(UserFactory(role=Role.OPERATOR))
    assert client.get(url).status_code in (302, 403)
    staff = UserFactory(role=Role.STAFF)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"  # Wagtail's admin speaks the user's language (the site's is Italian)
    profile.save()
    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200 and b"provenienza_tipo" in page.content
    bad = SimpleUploadedFile("bad.csv", (HEADER + "Lucca;2025;1;italia;Toscana;10;20\nLucca;2025;1;x;y;1;1\n").encode())
    answer = client.post(url, {"file": bad})
    assert answer.status_code == 422 and "provenienza_tipo must be italia or estero" in answer.content.decode()
    assert not OfficialFlow.objects.exists()
    good = SimpleUploadedFile("good.csv", (HEADER + "Lucca;2025;1;italia;Toscana;10;20\n").encode())
    answer = client.post(url, {"file": good})
    assert answer.status_code == 200 and "2025-01" in answer.content.decode() and OfficialFlow.objects.count() == 1
