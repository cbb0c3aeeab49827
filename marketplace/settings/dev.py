"""A developer's machine and `make demo`: DEBUG on (off in `make demo`), SQLite by default, mail on the console."""

from .base import *  # noqa: F403
from .base import PRIVATE_STORAGE, STORAGES, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # DEBUG on: static files straight from the source folders, an edit shows at once. DEBUG off (`make demo`):
    # collected, hashed and compressed as production serves them (base.py), so the demo is as fast.
    "staticfiles": (
        {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"} if DEBUG else STORAGES["staticfiles"]
    ),
    "private": PRIVATE_STORAGE,
}
