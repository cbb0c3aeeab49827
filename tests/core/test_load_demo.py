import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def test_load_demo_prints_one_login_per_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    for role in ("DMC staff", "Operators", "Trade partners", "Tourists", "superuser"):
        assert role in out
    assert "password:" in out


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", quiet_logins=True)
    first = _row_counts()
    call_command("load_demo", quiet_logins=True)
    second = _row_counts()
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert changed == {}


def test_the_demo_home_page_answers_in_both_languages(client):
    call_command("load_demo", quiet_logins=True)
    italian = client.get("/it/")
    english = client.get("/en/")
    assert italian.status_code == english.status_code == 200
    assert "Tra le mura di Lucca" in italian.content.decode()
    assert "From the walls of Lucca" in english.content.decode()
