"""Helpers for tests that race a real transaction against a lock held by another (PostgreSQL)."""

import time

from django.db import connection


def wait_for_a_lock_waiter(timeout=10) -> bool:
    """True once some transaction waits on a lock: the other side of the race has reached it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False
