"""Production. Refuses to start without a secret key and an explicit host list."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import FERIA_ADMIN_CSP, FERIA_CSP, PRIVATE_STORAGE, env_bool, env_list

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# The same bar as Django's security.W009 check, so `check --deploy` never has to warn about it.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set in production: a random value of 50 characters or more."
    )
if not os.environ.get("FERIA_RECORDS_SIGNING_KEY", "").strip():
    raise ImproperlyConfigured(
        "FERIA_RECORDS_SIGNING_KEY must be set in production: the record log's Ed25519 key, 32 random bytes "
        "in base64 (docs/records.md)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names in production.")
# Links in e-mails: the public address, by default the first allowed host over https.
FERIA_SITE_URL = (os.environ.get("FERIA_SITE_URL") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", FERIA_SITE_URL)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", ",".join(f"https://{host}" for host in ALLOWED_HOSTS))

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# Uploads on S3-compatible object storage (django-storages), so every ASGI worker on every machine sees
# the same media. Credentials come the way boto3 reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or
# the machine's role). FERIA_S3_PUBLIC_URL is where browsers fetch the files; the CSP allows images from it.
S3_BUCKET = os.environ.get("FERIA_S3_BUCKET", "")
if S3_BUCKET:
    public_url = urlsplit(os.environ.get("FERIA_S3_PUBLIC_URL", ""))
    if public_url.scheme != "https" or not public_url.netloc:
        raise ImproperlyConfigured("FERIA_S3_PUBLIC_URL must be the https:// address serving the bucket.")
    media_origin = f"https://{public_url.netloc}"
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("FERIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FERIA_S3_REGION") or None,
            "custom_domain": (public_url.netloc + public_url.path).rstrip("/"),
            "url_protocol": "https:",
            # Public images and brochures: plain, cacheable URLs (PDFs still go through Wagtail's serve view).
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    MEDIA_URL = f"{media_origin}{public_url.path.rstrip('/')}/"
    # Private files go to a second bucket that nobody can read without credentials (no public policy, no
    # CDN): the public bucket's policy makes every object in it readable, so a prefix there would not do.
    private_bucket = os.environ.get("FERIA_S3_PRIVATE_BUCKET", "")
    if not private_bucket or private_bucket == S3_BUCKET:
        raise ImproperlyConfigured(
            "FERIA_S3_PRIVATE_BUCKET must name a second, non-public bucket for private files (proofs of "
            "transfer); see docs/deploy.md."
        )
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": private_bucket,
            "endpoint_url": os.environ.get("FERIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FERIA_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    FERIA_CSP = {**FERIA_CSP, "img-src": [*FERIA_CSP["img-src"], media_origin]}
    FERIA_ADMIN_CSP = {**FERIA_ADMIN_CSP, "img-src": [*FERIA_ADMIN_CSP["img-src"], media_origin]}
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": FERIA_CSP}

# The page cache (cms/cache.py, cms/member_cache.py): edits purge the pages that show them at once, so in
# production it is on by default where every process shares one cache (Redis) for the purges to reach.
FERIA_PAGE_CACHE_SECONDS = int(os.environ.get("FERIA_PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0"))  # noqa: F405
