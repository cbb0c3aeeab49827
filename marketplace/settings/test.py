"""The test suite: PostgreSQL when DATABASE_URL says so (CI always), fast hashing, no network."""

from .base import *  # noqa: F403
from .base import LANGUAGE_NAMES

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in-process unless a test starts a real worker against Redis (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
ALLOWED_HOSTS = ["*"]
# The public origin is the test client's: every canonical, hreflang, sitemap and email link is one it can fetch.
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Threads of the live server (browser tests) must not keep connections that block dropping the test DB.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Tests never fetch map tiles: maps render markers on a plain background.
MAP_TILE_URL = ""
# The page cache is off by default in tests (locmem outlives each test's database); tests/cms/test_page_cache.py
# turns it on.
CMS_PAGE_CACHE_SECONDS = 0
CMS_FRAGMENT_CACHE_SECONDS = 0  # likewise: tests/cms/test_page_fragments.py turns it on

# The suite serves Italian and English whatever SITE_LANGUAGES says on the machine; the tests of French and
# German switch them on themselves (tests/core/test_languages.py).
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [(code, LANGUAGE_NAMES[code]) for code in ("it", "en")]
# load_demo's two years of bookings (marketplace.observatory.demo) are skipped: the demo tests load the demo
# many times and read none of them; tests/observatory/test_demo_history.py turns them on.
DEMO_HISTORY = False
