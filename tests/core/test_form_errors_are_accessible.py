"""A refused form tells assistive technology what went wrong and where: each invalid input carries
aria-invalid and aria-describedby pointing at its error, and a summary at the top links to the fields.
The same in every shared form rendering (Oscar's partials, the operator area's, the labels' forms)."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class StayForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on your ID.")
    guests = forms.IntegerField(label="Guests", min_value=1)
    notes = forms.CharField(label="Notes", required=False)

    def clean(self):
        raise forms.ValidationError("The dates are no longer available.")


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def _assert_accessible_errors(html: str) -> None:
    name, guests, notes = _input(html, "name"), _input(html, "guests"), _input(html, "notes")
    assert 'aria-invalid="true"' in name and 'aria-describedby="id_name_error id_name_helptext"' in name
    assert 'aria-invalid="true"' in guests and 'aria-describedby="id_guests_error"' in guests
    assert "aria-invalid" not in notes and "aria-describedby" not in notes
    assert re.search(r'id="id_name_error"[^>]*>\s*This field is required.', html)
    assert 'id="id_name_helptext"' in html
    opening = re.search(r'<div class="alert alert-danger form-error-summary"[^>]*>', html).group(0)
    assert 'role="alert"' in opening  # announced as soon as the refused form comes back
    summary = html.split(opening, 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_name">Name: This field is required.</a>' in summary
    assert '<a href="#id_guests">Guests: Ensure this value is greater than or equal to 1.</a>' in summary
    assert "The dates are no longer available." in summary
    assert html.index("form-error-summary") < html.index('name="name"')  # at the top of the form


@pytest.mark.parametrize(
    "template", ["oscar/partials/form_fields.html", "operators/_form.html", "certifications/_form.html"]
)
def test_shared_form_renderings_tie_errors_to_their_fields(template):
    form = StayForm(data={"name": "", "guests": "0", "notes": ""})
    with translation.override("en"):
        assert not form.is_valid()
        html = render_to_string(template, {"form": form})
    _assert_accessible_errors(html)


def test_a_valid_or_unbound_form_has_no_summary_and_no_invalid_flags():
    with translation.override("en"):
        html = render_to_string("oscar/partials/form_fields.html", {"form": StayForm()})
    assert "form-error-summary" not in html and "aria-invalid" not in html
    assert 'aria-describedby="id_name_helptext"' in _input(html, "name")


@pytest.mark.django_db
def test_the_login_page_links_its_errors_to_the_fields(client):
    response = client.post(
        "/en/shop/accounts/login/", {"login-username": "", "login-password": "", "login_submit": "Log in"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    username = _input(html, "login-username")
    assert 'aria-invalid="true"' in username and "id_login-username_error" in username
    assert 'id="id_login-username_error"' in html
    assert 'href="#id_login-username"' in html.split("form-error-summary", 1)[1]
