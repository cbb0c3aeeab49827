"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked against the settings."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCES = [ROOT / "marketplace" / "env.py", *sorted((ROOT / "marketplace" / "settings").glob("*.py"))]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _variables_read_by_settings() -> set[str]:
    text = "\n".join(path.read_text() for path in SETTINGS_SOURCES)
    return set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', text))


def test_compose_has_the_production_shape():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A marketplace worker")
    assert services["beat"]["command"].startswith("celery -A marketplace beat")
    assert "healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_app_services_share_one_image_and_environment_that_the_settings_read():
    services = _compose()["services"]
    read = _variables_read_by_settings() | {"DJANGO_SETTINGS_MODULE"}
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "marketplace.settings.production"
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        unknown = set(environment) - read
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
    assert services["postgres"]["environment"]["POSTGRES_DB"] in services["web"]["environment"]["DATABASE_URL"]


def test_env_example_and_readme_document_every_variable_the_settings_read():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    example_names = set(re.findall(r"^([A-Z0-9_]+)=", example, re.MULTILINE))
    read = _variables_read_by_settings()
    assert example_names - {"POSTGRES_PASSWORD"} <= read
    undocumented = {name for name in read if f"`{name}`" not in readme}
    assert not undocumented, f"README.md does not document: {sorted(undocumented)}"
