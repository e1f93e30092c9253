"""Settings shared by every environment. What differs between machines comes from the environment."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "cms",
    "results",
    "complaints",
    "quotes",
    "fair",
    "fair.chat",
    "fair.meetings",
    "fair.leads",
    "payments",
    "exhibitors",
    "exhibitors.records",
    "exhibitors.certificates",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "allauth",
    "allauth.account",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML of anonymous pages only (BREACH; cms/http_cache.py), outside the ETag so the ETag is the page's.
    "cms.http_cache.AnonymousGZipMiddleware",
    # ETag and the 304 answer to a revisit, from the Cache-Control the next one chose.
    "django.middleware.http.ConditionalGetMiddleware",
    "cms.http_cache.CachePolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Anonymous visitors' pages if FERIA_PAGE_CACHE_SECONDS > 0 (cms/cache.py); after Locale for the language.
    "cms.cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Two-factor sign-in: django-otp marks a verified session; ours asks for the code.
    "django_otp.middleware.OTPMiddleware",
    "cms.middleware.TwoFactorMiddleware",
    "cms.middleware.AdminLanguageMiddleware",
    "cms.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    # The personal parts of pages ({% hole %}, exhibitors/holes.py), filled in every HTML response.
    "exhibitors.holes.HoleMiddleware",
    # Signed-in people's public pages, holes unfilled, if FERIA_PAGE_CACHE_SECONDS > 0 (cms/member_cache.py).
    "cms.member_cache.MemberPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

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
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_nav",
                "exhibitors.context_processors.lite_mode",
            ],
        },
    },
]

# --- Database: SQLite is the embedded default; DATABASE_URL switches to PostgreSQL. ---
SQLITE_PATH = os.environ.get("FERIA_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Under ASGI each request runs in its own thread, so persistent connections (conn_max_age > 0) pile up
    # one per thread until PostgreSQL refuses more ("too many clients", seen by `make bench`). A pool per
    # process (psycopg_pool, Django's "pool" option) hands a connection back at the end of each request and
    # saves connecting every time. FERIA_DB_POOL_MAX bounds it: workers × max must stay under max_connections.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("FERIA_DB_POOL_MAX", "8")),
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # The web server and the task worker write at once: take the write lock at BEGIN so a
                # transaction never fails half-way on an upgrade from read to write, and use WAL so
                # readers never block the writer.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer: in-memory by default; REDIS_URL switches to Redis (pub/sub, see docs/deploy.md). ---
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    from cms.settings.redis import redis_caches, redis_channel_layers

    CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)
    CACHES = redis_caches(REDIS_URL)
else:
    # One process: channels' in-memory layer, with the chat's bound on a socket's backlog
    # (fair/chat/layers.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "fair.chat.layers.BoundedInMemoryChannelLayer"}}
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Booth-view counters (results/counting.py) must be seen by the web server that counts and by
        # run_periodic that flushes them; without Redis, a file cache both processes share. Never the
        # database: counting a view writes no row.
        "results": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("FERIA_VIEW_COUNTER_DIR", str(BASE_DIR / "view-counters")),
            "OPTIONS": {"MAX_ENTRIES": 200000},
        },
    }

# --- Background tasks: Django's tasks interface, stored in the database, run by `manage.py db_worker`. ---
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Users and accounts ---
AUTH_USER_MODEL = "exhibitors.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in from a locked-out address before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address (in the browser that signed up) signs the person in and continues at the page sign-up
# started from (its `next`, which the confirmation link carries too).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "exhibitors.forms.accounts.SignupExtraForm"
ACCOUNT_ADAPTER = "exhibitors.adapters.AccountAdapter"
# Failed sign-ins are throttled by django-axes alone (below). allauth's own "login_failed" limit counted per
# e-mail address from anywhere, so anyone could lock any account by typing its address with wrong passwords.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Whoever sets a new password through the e-mailed link has shown they hold the mailbox: they are signed in
# at once, whatever failures were counted against their address (their account's are cleared as well).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True

# --- Failed sign-ins (django-axes) ---
# Counted per account and address together, and per address alone; either reaching the limit refuses
# further sign-ins from that address (for that account, or for all) until the cool-off has passed. An
# account is never locked as such: its owner signs in from their own address while others fail elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A success does not wipe the address's count: someone with an account of their own could otherwise sign
# in between guesses at other people's passwords and never be throttled.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "exhibitors.signin.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "cms.proxy.throttle_address"
AXES_LOCKOUT_CALLABLE = "exhibitors.views.signin.sign_in_locked_out"
# The sign-in page's own log of successes is not needed: sessions already record who is signed in.
AXES_DISABLE_ACCESS_LOG = True
# Kept out of the stored copy of each failed request (the e-mail address is stored once, as the username).
AXES_SENSITIVE_PARAMETERS = ["username", "login", "ip_address"]

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Feria <no-reply@feria.invalid>")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

# --- Languages: the instance's main language comes from FERIA_LANGUAGE (set it before the first migrate:
# Wagtail makes its default locale from it). ---
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
]
LANGUAGE_CODE = os.environ.get("FERIA_LANGUAGE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise RuntimeError(f"FERIA_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}")
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("FERIA_TIME_ZONE", "UTC")

# --- Static and media ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("FERIA_MEDIA_ROOT", str(BASE_DIR / "media")))
# Private uploads (proofs of transfer, complaint evidence): outside MEDIA_ROOT, never served by a URL of their
# own; exhibitors.views.files hands each one out after checking who asks (docs/deploy.md).
FERIA_PRIVATE_ROOT = Path(os.environ.get("FERIA_PRIVATE_ROOT", str(BASE_DIR / "private")))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(FERIA_PRIVATE_ROOT), "base_url": None},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
# Uploads over this size are refused before they are read into memory or decoded.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FERIA_MAX_IMAGE_BYTES = 8 * 1024 * 1024
FERIA_MAX_IMAGE_PIXELS = 40_000_000
# An animated GIF, PNG or WebP may have at most this many frames.
FERIA_MAX_IMAGE_FRAMES = 500
FERIA_MAX_PDF_BYTES = 15 * 1024 * 1024
# AVIF copies of the srcset renditions, offered first in a <picture>, where Pillow can encode AVIF
# (exhibitors/renditions.py, docs/any-connection.md). "0" makes and offers WebP only.
FERIA_IMAGES_AVIF = os.environ.get("FERIA_IMAGES_AVIF", "1") != "0"

# --- Wagtail ---
WAGTAIL_SITE_NAME = os.environ.get("FERIA_SITE_NAME", "Feria")
# The name authenticator apps show next to the code (two-factor sign-in).
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# The site's public origin (scheme://host[:port], no path): every link in an e-mail starts with it, whatever
# request (or none, in the task worker) caused the e-mail. `run_site` sets it from its --host and --port;
# production sets it to the public https:// address (docs/deploy.md).
FERIA_SITE_URL = os.environ.get("FERIA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", FERIA_SITE_URL)
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # "simple" does no English stemming or stop words: fairs are multilingual.
        "SEARCH_CONFIG": "simple",
    }
}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "gif": "webp", "bmp": "webp"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = FERIA_MAX_IMAGE_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = FERIA_MAX_IMAGE_PIXELS
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: nothing is fetched from other sites, in the admin either.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
# A page submitted for translation starts as a draft (wagtail-localize would publish it at once, still in
# the original language but labelled as the new one). Until staff publish the translation, visitors of that
# language see the original page with a note saying so (cms.models.HomePage.route).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# --- Security defaults (tightened further in production.py) ---
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy. The public site and dashboards get the strict policy: everything from our own
# origin, no inline script or style. Wagtail's admin (under /admin/) ships inline scripts and styles in its
# widgets, so cms.middleware swaps in FERIA_ADMIN_CSP there only. form-action allows Stripe's hosted pages.
STRIPE_FORM_ACTION_HOSTS = ["https://checkout.stripe.com", "https://connect.stripe.com"]
FERIA_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'", *STRIPE_FORM_ACTION_HOSTS],
}
FERIA_ADMIN_CSP = {
    **FERIA_CSP,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# django-csp 4 reads this; the middleware in cms.middleware chooses which dict applies to a request.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": FERIA_CSP}

# --- Stripe (payments/). Without STRIPE_SECRET_KEY card payment is hidden and bank transfer still works. ---
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
# Signing secrets of the two webhook endpoints (both point at /stripe/webhook/): the platform's own events,
# and the events of connected accounts (Connect). `stripe listen` prints one secret that serves both.
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_CONNECT_WEBHOOK_SECRET = os.environ.get("STRIPE_CONNECT_WEBHOOK_SECRET", "")
# Events older than this (seconds, from the signature's timestamp) are refused, as Stripe recommends.
STRIPE_WEBHOOK_TOLERANCE = 300
# A stored event whose handlers failed this many times is given up (shown to staff, no longer retried).
STRIPE_EVENT_MAX_ATTEMPTS = 8
# Where the stripe library sends API requests; the tests point it at a local server.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "30"))
STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "2"))

FERIA_TERMS_VERSION = "2026-11"
FERIA_PRIVACY_VERSION = "2026-11"
FERIA_REQUIRE_SERVICES = env_bool("FERIA_REQUIRE_SERVICES")
# Proxies whose X-Forwarded-For is believed (cms/proxy.py): addresses or networks, and `unix` for a proxy
# on daphne's Unix socket. Empty: the client's address is always the connection's own.
FERIA_TRUSTED_PROXIES = env_list("FERIA_TRUSTED_PROXIES")
for _proxy in FERIA_TRUSTED_PROXIES:
    if _proxy.lower() != "unix":
        try:
            ipaddress.ip_network(_proxy, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"FERIA_TRUSTED_PROXIES: {_proxy!r} is neither an address, a network nor 'unix'."
            ) from error
# Seconds an anonymous visitor's page is kept by cms.cache.PageCacheMiddleware; 0 turns the cache off.
FERIA_PAGE_CACHE_SECONDS = int(os.environ.get("FERIA_PAGE_CACHE_SECONDS", "0"))
# Video calls (fair/meetings/ice.py, docs/calls.md): STUN and TURN servers handed to the call page. TURN
# credentials are made per person with the TURN REST scheme from the secret shared with coturn
# (`static-auth-secret`) and last FERIA_TURN_TTL_SECONDS. Nothing set: host candidates only (same network).
FERIA_STUN_URLS = env_list("FERIA_STUN_URLS")
FERIA_TURN_URLS = env_list("FERIA_TURN_URLS")
FERIA_TURN_SECRET = os.environ.get("FERIA_TURN_SECRET", "")
FERIA_TURN_TTL_SECONDS = int(os.environ.get("FERIA_TURN_TTL_SECONDS", str(6 * 3600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "feria": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Record log (exhibitors/records, docs/records.md): receipts are signed with this Ed25519 key, the raw
# 32-byte private key in base64. Production refuses to start without it; elsewhere one is derived from
# SECRET_KEY (with a warning). Make one with
# `python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"`.
FERIA_RECORDS_SIGNING_KEY = os.environ.get("FERIA_RECORDS_SIGNING_KEY", "")
