"""Settings shared by every environment. Values that differ come from the environment (marketplace/env.py).

Everything is declared here; dev, test and production only change values (HackSoft's rule), so a
setting never exists in production alone.
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  Oscar's OSCAR_* defaults, overridden below

from marketplace.env import BASE_DIR, LANGUAGE_NAMES, database_from_env, env, redis_url, site_languages

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DMC_NAME = env.str("DMC_NAME", default="Terre di Lucca e Casentino")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Our apps first so their templates and static files win over the libraries'.
    "marketplace.core",
    "marketplace.bookings.apps.BookingsConfig",
    "marketplace.payments.apps.PaymentsConfig",
    "marketplace.trade.apps.TradeConfig",
    "marketplace.octo.apps.OctoConfig",
    "marketplace.observatory.apps.ObservatoryConfig",
    "marketplace.calendars.apps.CalendarsConfig",
    "operators.apps.OperatorsConfig",
    "packages.apps.PackagesConfig",
    "certifications.apps.CertificationsConfig",
    "cms.apps.CmsConfig",
    # Per-language columns (name_it, name_en, …) with fallback for our own models' texts.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",  # login lockout per account and per IP (marketplace/core/accounts.py)
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ninja",  # the OCTO API's Swagger UI and ReDoc static files (no CDN)
    # django-oscar: the shop. Forked apps replace their entry here (STYLE.md §7).
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "marketplace.shop.checkout.apps.CheckoutConfig",  # forked: travellers instead of shipping, Stripe
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "marketplace.shop.partner.apps.PartnerConfig",  # forked: packages priced by date and party
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "marketplace.shop.dashboard.apps.DashboardConfig",  # forked only to host the orders dashboard fork
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    # forked: staff cancel and refund through our services, travellers and package parts on the order
    "marketplace.shop.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",  # Oscar's dashboard tables
    "sorl.thumbnail",  # Oscar's product image thumbnails
    # Wagtail: the destination pages.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # Translation workflow for pages (segments, translation editor, PO export/import, machine drafts);
    # its locales app replaces wagtail.locales (docs/i18n.md).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # Who changed what: one LogEntry table with JSON diffs (marketplace/core/history.py says why this one).
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise (static files are already compressed at collectstatic): text answers only, gzipped.
    "marketplace.core.compression.TextGZipMiddleware",
    # Serves anonymous visitors' destination pages from the cache before sessions, baskets or URL routing run
    # (cms/cache.py); pages store themselves there on the way out and every publish purges them.
    "cms.cache.PageCacheMiddleware",
    # Inside the page cache on purpose: a cached page keeps the CSP header (and nonce) it was rendered with,
    # like every other header of the miss (marketplace/core/security.py).
    "marketplace.core.security.ContentSecurityPolicyMiddleware",
    # Remembers the Site, Locales and page routes per process until the next publish (cms/memo.py).
    "cms.memo.PageMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.core.security.staff_frame_options_middleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # After authentication: records the request's user as the actor of every change it makes (history).
    "auditlog.middleware.AuditlogMiddleware",
    # Last: turns a login refused by the lockout into the lockout page (templates/accounts/lockout.html).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
                "marketplace.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with Redis it is a real broker; without, tasks run eagerly in the web process (demo).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "Europe/Rome"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs; each app adds its entries in its own issue (hold expiry, label expiry, feeds).
CELERY_BEAT_SCHEDULE: dict = {
    # Labels vanish on their expiry day (selectors hide them already); this records it and sends reminders.
    "certifications-expire-and-remind": {
        "task": "certifications.awards_expire_and_remind",
        "schedule": crontab(hour=0, minute=15),
    },
    # Payments nobody finished (tab closed on the Stripe page) release their holds (docs/checkout.md).
    "payments-abandon-stale": {"task": "marketplace.payments.tasks.payment_abandon_stale", "schedule": 300.0},
    # Expired basket holds give their places back (holds also expire lazily inside capacity_hold).
    "operators-release-expired-holds": {"task": "operators.tasks.capacity_release_expired", "schedule": 60.0},
    # Operators' external iCal calendars (channel managers) are re-imported every hour.
    "operators-refresh-external-calendars": {"task": "operators.tasks.calendars_refresh", "schedule": 3600.0},
    # Trade: API holds and on-request bookings past their deadline expire; allotments past release close.
    "trade-release-due": {"task": "marketplace.trade.tasks.trade_release_due", "schedule": 60.0},
    # Observatory: the fact tables are refreshed on every booking change and rebuilt each night, so a
    # missed signal or a changed rule (an operator moved, a package re-assigned) heals by morning.
    "observatory-rebuild-facts": {
        "task": "marketplace.observatory.tasks.facts_rebuild",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Trade: how long the operators of an on-request product have to answer a partner's booking (hours;
# never past the first slot's cut-off).
TRADE_ON_REQUEST_HOURS = env.int("TRADE_ON_REQUEST_HOURS", default=48)
# How long an OCTO reserve holds its places when the reseller gives no expirationMinutes.
OCTO_HOLD_MINUTES = env.int("OCTO_HOLD_MINUTES", default=30)
# Mail tasks retry SMTP and network errors (marketplace/core/tasks.py MailTask): the first retry comes
# after about this many seconds, each next one after twice as long, never more than the maximum.
MAIL_RETRY_BACKOFF_SECONDS = env.float("MAIL_RETRY_BACKOFF_SECONDS", default=5.0)
MAIL_RETRY_BACKOFF_MAX_SECONDS = env.float("MAIL_RETRY_BACKOFF_MAX_SECONDS", default=600.0)
# Packages: how long adding a package to the basket holds its places; the DMC's default commission on
# operators' component prices when no PackageSupplierTerms row says otherwise (monthly statements).
PACKAGE_HOLD_MINUTES = env.int("PACKAGE_HOLD_MINUTES", default=15)
PACKAGES_DEFAULT_COMMISSION_PERCENT = env.str("PACKAGES_DEFAULT_COMMISSION_PERCENT", default="15")
# Capacity (operators/capacity.py): default lifetime of a hold whose caller gives none, and how long a
# write waits for a locked slot before answering a clean "try again" (PostgreSQL lock_timeout).
CAPACITY_HOLD_MINUTES = env.int("CAPACITY_HOLD_MINUTES", default=20)
CAPACITY_LOCK_TIMEOUT_MS = env.int("CAPACITY_LOCK_TIMEOUT_MS", default=3000)
# External iCal imports never fetch private-network addresses (SSRF); only tests turn this on.
ICAL_ALLOW_PRIVATE_HOSTS = False
# Partners' webhooks (marketplace/octo/webhooks.py): the same refusal of private-network URLs, switched
# on its own (only tests turn it off); seconds between a failed attempt and the next one (1 min, 5 min,
# 30 min, 2 h, 12 h: six attempts in all), and how long one attempt waits for the partner's server.
WEBHOOK_ALLOW_PRIVATE_HOSTS = False
WEBHOOK_RETRY_SCHEDULE = [60, 300, 1800, 7200, 43200]
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every login of a locked-out account or address before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one address,
# every login of that account or address is refused for LOGIN_COOLOFF_MINUTES (shop, Wagtail and Django admin).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "marketplace.core.accounts.lockout_username"
AXES_LOCKOUT_CALLABLE = "marketplace.core.accounts.lockout_response"
# The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, X-Forwarded-For's entry
# the first proxy wrote (marketplace/core/throttle.py; the same address for the throttles).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "marketplace.core.throttle.client_address"
# Password reset e-mails and sign-ups per hour, per address and per e-mail (marketplace/core/throttle.py).
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=5)
SIGNUPS_PER_HOUR = env.int("SIGNUPS_PER_HOUR", default=10)
LOGIN_URL = "customer:login"
# After login every role lands where its work is (marketplace.core.views.RoleLandingView).
LOGIN_REDIRECT_URL = "role-landing"
# Where Oscar's account summary (/shop/accounts/) goes: the profile page, never back to role-landing,
# which sends tourists to their account (that was a redirect loop).
OSCAR_ACCOUNTS_REDIRECT_URL = "customer:profile-view"

# Internationalisation: Italian first (the DMC's language); URLs carry the language (/it/, /en/…).
# The site serves the languages SITE_LANGUAGES names (default it,en); French and German are ready to be
# switched on there with no code and no migration: every catalogue of ours has them, and model texts have
# a column for each of the four languages whether the site serves it or not (docs/i18n.md).
LANGUAGE_CODE = "it"
LANGUAGES = site_languages()
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_LANGUAGES = tuple(LANGUAGE_NAMES)
MODELTRANSLATION_DEFAULT_LANGUAGE = "it"
# An empty text falls back along these (modeltranslation tries the language's own list, then "default"):
# Italian to English, English to Italian, French and German to English and then Italian.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("it", "en"), "fr": ("en", "it"), "de": ("en", "it")}
# Slugs are prepopulated from the Italian title in the admins, whatever the editor's language.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "it"
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Leaflet's JS/CSS come from django-leaflet's static files (no CDN). Not in INSTALLED_APPS: its admin module
# imports GeoDjango, which needs the GDAL C library that a new user's machine may lack.
STATICFILES_DIRS = [BASE_DIR / "static", Path(find_spec("leaflet").origin).parent / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Uploaded photos and evidence; behind a proxy that serves /media/ itself, turn this off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# How long browsers keep a served media file (marketplace/core/media.py): a year, as for hashed static files.
MEDIA_CACHE_SECONDS = env.int("MEDIA_CACHE_SECONDS", default=365 * 24 * 3600)
# Private files (certification evidence) live outside MEDIA_ROOT: nothing serves them but the views
# that check who asks (certifications.views.EvidenceDownloadView).
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (served with a ten-year immutable Cache-Control by whitenoise) and a .gz and .br (the
    # Brotli package) beside each text file, written once at collectstatic.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SITE_ID = 1

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{DMC_NAME} <booking@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Stripe: without STRIPE_SECRET_KEY a clearly labelled demo payment replaces it (no money moves).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # tests point Stripe's client at a local fake
USE_STRIPE = bool(STRIPE_SECRET_KEY)
# A payment still unconfirmed after this long is abandoned: its holds go back (docs/stripe.md).
PAYMENT_ABANDON_MINUTES = env.int("PAYMENT_ABANDON_MINUTES", default=30)
# How long a webhook waits for a payment row another process holds before answering 503.
PAYMENT_LOCK_TIMEOUT_MS = env.int("PAYMENT_LOCK_TIMEOUT_MS", default=5000)
# What gets booked: dotted paths of marketplace.bookings.handlers.BookingLineHandler subclasses,
# called before payment, on order placement, on failure and on cancellation (docs/checkout.md).
BOOKING_LINE_HANDLERS: list[str] = ["packages.handlers.PackageLineHandler"]

# Oscar
OSCAR_SHOP_NAME = DMC_NAME
OSCAR_SHOP_TAGLINE = _("Holidays in the Piana di Lucca and the Casentino")
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": True, "format_type": "standard"}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
# Orders exist only once paid (the Stripe webhook places them), so they start confirmed.
OSCAR_INITIAL_ORDER_STATUS = "Confirmed"
OSCAR_ORDER_STATUS_PIPELINE = {"Confirmed": ("Cancelled",), "Cancelled": ()}
OSCAR_ORDER_STATUS_CASCADE = {"Cancelled": "Cancelled"}
OSCAR_INITIAL_LINE_STATUS = "Confirmed"
OSCAR_LINE_STATUS_PIPELINE = {"Confirmed": ("Cancelled",), "Cancelled": ()}
OSCAR_HOMEPAGE = reverse_lazy("catalogue:index")
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name")
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# Wagtail
WAGTAIL_SITE_NAME = DMC_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = True
# Pages can be translated into every language the site serves; their Locale rows are created after each
# migrate (cms/languages.py), so switching a language on in SITE_LANGUAGES is enough.
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# wagtail-localize's "Machine translate" button drafts a translation's segments (editors review them) only
# where a DeepL key is configured: none in the demo, tests or by default (docs/i18n.md).
if DEEPL_AUTH_KEY := env.str("DEEPL_AUTH_KEY", default=""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": DEEPL_AUTH_KEY, "TIMEOUT": 30},
    }
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 8 * 1024 * 1024
WAGTAILSEARCH_HITS_MAX_AGE = 14
# Public destination pages are cached for anonymous visitors; a publish purges them all at once (cms/cache.py).
# The timeout bounds how stale live offer prices on a cached page can get.
CMS_PAGE_CACHE_SECONDS = env.int("CMS_PAGE_CACHE_SECONDS", default=300)
# Cached parts of destination pages for visitors with a session or basket (cms/fragments.py).
CMS_FRAGMENT_CACHE_SECONDS = env.int("CMS_FRAGMENT_CACHE_SECONDS", default=300)

# Maps: Leaflet from django-leaflet's static files (cms/static/cms/maps.js); the tile server is a setting
# (empty: markers on a plain background, as in the tests, which never fetch tiles).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION", default='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
MAP_DEFAULT_CENTER = (43.80, 10.75)  # between the Piana di Lucca and the Casentino

WAGTAILDOCS_EXTENSIONS = ["pdf", "gpx", "csv", "docx", "xlsx", "odt", "txt"]

# Certified-brand labels (certifications/subjects.py): the models that may hold an award, and per
# model a dotted path to the policy its own app writes (who acts for it, its components…).
CERTIFICATION_SUBJECT_MODELS = ["operators.operator", "operators.service", "packages.package"]
CERTIFICATION_SUBJECT_POLICIES: dict[str, str] = {
    "operators.operator": "operators.certification.OperatorCertificationPolicy",
    "operators.service": "operators.certification.ServiceCertificationPolicy",
    "packages.package": "packages.certification.PackageCertificationPolicy",
}
CERTIFICATION_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Oscar's and Wagtail's JavaScript read it for AJAX posts

# Security headers, on every response, cached or not (marketplace/core/security.py, cms/cache.py).
# Nothing of the public site may be framed; the staff areas answer SAMEORIGIN (Wagtail's preview panel).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatars in the admin (privacy, CSP)
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin would fetch releases.wagtail.org (CSP connect-src)
# Content-Security-Policy (django-csp). Public pages: scripts only from us (inline ones carry the request's
# nonce) and Stripe.js; styles may be inline (style="" attributes for hero images and map heights).
# Map tiles come from MAP_TILE_URL's host; embeds (videos) from the usual video hosts.
_tiles = urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
MAP_TILE_ORIGINS = [f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []
VIDEO_EMBED_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, "https://js.stripe.com"],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https://*.stripe.com", *MAP_TILE_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, "https://api.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com", *VIDEO_EMBED_ORIGINS],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Wagtail's admin, Django's admin and Oscar's dashboard (staff only) still write inline scripts and
# frame their own previews: inline scripts allowed there (no nonce: it would switch 'unsafe-inline' off).
CONTENT_SECURITY_POLICY_STAFF = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *MAP_TILE_ORIGINS],
    "connect-src": [SELF],
    "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
    "frame-ancestors": [SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# History of who changed what (django-auditlog; marketplace/core/history.py shows it). The business records
# only, each with the fields people change: a slot's held/reserved counters move with every basket and are
# not history. Bulk writes (a rule's generated slots, .update()) are not logged by design.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "operators.Operator", "exclude_fields": ["created_at", "status_changed_at", "status_changed_by"]},
    {"model": "operators.Service", "exclude_fields": ["created_at"]},
    "operators.Season",
    "operators.Rate",
    {"model": "operators.AvailabilityRule", "exclude_fields": ["created_at"]},
    {"model": "operators.Slot", "include_fields": ["capacity", "closed", "blocked", "capacity_locked"]},
    {"model": "operators.ExternalCalendar", "include_fields": ["url"]},
    {"model": "operators.OperatorMembership", "include_fields": ["user", "role"]},
    {"model": "trade.Contract", "exclude_fields": ["created_at"]},
    "trade.ContractNetPrice",
    "trade.ContractCancellationTier",
    {"model": "trade.Allotment", "exclude_fields": ["created_at", "created_by"]},
    {
        "model": "certifications.Award",
        "include_fields": ["status", "awarded_on", "expires_on", "reference", "scheme"],
    },  # fmt: skip
    {"model": "order.Order", "include_fields": ["status"]},
    {"model": "payments.Payment", "include_fields": ["status", "amount_refunded"]},
)
# Foreign keys read as their objects ("Summer 2027"), not as ids, in the history.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
# The client's address is not business history (and is personal data kept forever).
AUDITLOG_DISABLE_REMOTE_ADDR = True
