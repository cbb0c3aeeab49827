"""Health of the backends the site needs: the database always, Redis and the broker when configured."""

from django.conf import settings
from django.db import connection


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _check_broker() -> str:
    from marketplace.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def health_report() -> dict:
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = _check_broker
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a backend is reported, never raised
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    status = "ok" if all(value == "ok" for value in results.values()) else "error"
    return {"status": status, "checks": results}
