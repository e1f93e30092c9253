"""Each settings module is loaded in its own process, with exactly the environment a machine would give it."""

import base64
import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

# Variables that change what the settings resolve to; every test starts without them.
SETTINGS_ENV = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "FERIA_LANGUAGE",
    "FERIA_SQLITE_PATH",
    "FERIA_SITE_URL",
    "FERIA_RECORDS_SIGNING_KEY",
}

RESOLVE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({"
    "'DEBUG': s.DEBUG, 'ALLOWED_HOSTS': s.ALLOWED_HOSTS, 'ENGINE': s.DATABASES['default']['ENGINE'], "
    "'DB_NAME': s.DATABASES['default']['NAME'], 'DB_HOST': s.DATABASES['default'].get('HOST', ''), "
    "'LAYER': s.CHANNEL_LAYERS['default']['BACKEND'], "
    "'LAYER_HOSTS': [h['address'] if isinstance(h, dict) else h "
    "for h in s.CHANNEL_LAYERS['default'].get('CONFIG', {}).get('hosts', [])], "
    "'CACHE_HEALTH_CHECK': s.CACHES['default'].get('OPTIONS', {}).get('health_check_interval'), "
    "'CACHE': s.CACHES['default']['BACKEND'], 'CACHE_LOCATION': s.CACHES['default'].get('LOCATION', ''), "
    "'SILENCED': s.SILENCED_SYSTEM_CHECKS, 'TASKS': s.TASKS['default']['BACKEND']}))"
)


def production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        FERIA_RECORDS_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="fair.example.org",
        FERIA_SQLITE_PATH=os.path.join(settings.BASE_DIR, "never-created.sqlite3"),
    )
    env.update(extra)
    return env


def clean_env(module: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_ENV}
    env["DJANGO_SETTINGS_MODULE"] = module
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def resolve(env: dict[str, str]) -> dict:
    result = run_python(RESOLVE, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("signing_key", [None, "", "bm90LTMyLWJ5dGVz", "not base64!"])
def test_production_refuses_to_start_without_a_usable_records_signing_key(signing_key):
    env = production_env()
    if signing_key is None:
        del env["FERIA_RECORDS_SIGNING_KEY"]
    else:
        env["FERIA_RECORDS_SIGNING_KEY"] = signing_key
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "FERIA_RECORDS_SIGNING_KEY" in result.stderr


@pytest.mark.parametrize("weak_key", ["short", "a" * 60, "django-insecure-" + "k3y" * 20])
def test_production_refuses_to_start_with_weak_secret_key(weak_key):
    result = run_python("import django; django.setup()", production_env(DJANGO_SECRET_KEY=weak_key))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", "*", "fair.example.org,*"])
def test_production_refuses_to_start_without_explicit_allowed_hosts(hosts):
    env = production_env()
    if hosts is None:
        del env["ALLOWED_HOSTS"]
    else:
        env["ALLOWED_HOSTS"] = hosts
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_check_deploy_prints_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        env=production_env(),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_check_deploy_with_postgres_and_redis_prints_no_warning():
    env = production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_resolves_strict_defaults():
    resolved = resolve(production_env())
    assert resolved["DEBUG"] is False
    assert resolved["ALLOWED_HOSTS"] == ["fair.example.org"]
    assert resolved["SILENCED"] == []
    assert resolved["TASKS"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize(
    ("module", "debug"),
    [("cms.settings.dev", True), ("cms.settings.test", False), ("cms.settings.production", False)],
)
def test_debug_is_on_only_in_dev(module, debug):
    env = production_env() if module.endswith("production") else clean_env(module)
    resolved = resolve(env)
    assert resolved["DEBUG"] is debug
    assert resolved["SILENCED"] == []


@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.test", "cms.settings.production"])
def test_allowed_hosts_is_never_wildcard(module):
    env = production_env() if module.endswith("production") else clean_env(module)
    resolved = resolve(env)
    assert resolved["ALLOWED_HOSTS"]
    assert "*" not in resolved["ALLOWED_HOSTS"]
    assert not any(host.startswith("*") for host in resolved["ALLOWED_HOSTS"])


def test_base_settings_are_not_debug():
    resolved = resolve(clean_env("cms.settings.base"))
    assert resolved["DEBUG"] is False
    assert resolved["ALLOWED_HOSTS"] == []


@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.production"])
def test_database_url_switches_to_postgresql(module):
    url = "postgres://feria:pw@db.internal:5433/feria_prod"
    env = production_env(DATABASE_URL=url) if module.endswith("production") else clean_env(module)
    env["DATABASE_URL"] = url
    resolved = resolve(env)
    assert resolved["ENGINE"] == "django.db.backends.postgresql"
    assert resolved["DB_NAME"] == "feria_prod"
    assert resolved["DB_HOST"] == "db.internal"


@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.production"])
def test_redis_url_switches_channel_layer_and_cache_to_redis(module):
    url = "redis://cache.internal:6380/2"
    env = production_env() if module.endswith("production") else clean_env(module)
    env["REDIS_URL"] = url
    resolved = resolve(env)
    # Redis pub/sub and Redis cache, both riding out a Redis outage (fair/chat/layers.py,
    # cms/cache_backends.py) on connections that are health-checked after a restart.
    assert resolved["LAYER"] == "fair.chat.layers.ResilientRedisPubSubChannelLayer"
    assert resolved["LAYER_HOSTS"] == [url]
    assert resolved["CACHE"] == "cms.cache_backends.FailSoftRedisCache"
    assert resolved["CACHE_LOCATION"] == url
    assert resolved["CACHE_HEALTH_CHECK"] == 10


def test_without_urls_the_embedded_default_is_sqlite_memory_layer_and_local_cache():
    resolved = resolve(clean_env("cms.settings.dev"))
    assert resolved["ENGINE"] == "django.db.backends.sqlite3"
    assert resolved["LAYER"] == "fair.chat.layers.BoundedInMemoryChannelLayer"
    assert resolved["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert resolved["TASKS"] == "django_tasks_db.DatabaseBackend"


S3_REPORT = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import storages; media = storages['default']; "
    "print(json.dumps({'backend': type(media).__module__ + '.' + type(media).__name__, "
    "'bucket': media.bucket_name, 'url': media.url('images/coffee.webp'), "
    "'media_url': s.MEDIA_URL, 'img_src': s.FERIA_CSP['img-src'], "
    "'private': [type(storages['private']).__name__, storages['private'].bucket_name, "
    "storages['private'].default_acl, storages['private'].querystring_auth], "
    "'admin_img_src': s.FERIA_ADMIN_CSP['img-src'], "
    "'csp_img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
)


def test_production_media_on_s3_compatible_storage():
    env = production_env(
        FERIA_S3_BUCKET="feria-media",
        FERIA_S3_PUBLIC_URL="https://media.fair.example.org/",
        FERIA_S3_ENDPOINT_URL="https://objects.example.net",
        FERIA_S3_REGION="eu-central-1",
        FERIA_S3_PRIVATE_BUCKET="feria-private",
    )
    result = run_python(S3_REPORT, env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["backend"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "feria-media"
    assert found["url"] == "https://media.fair.example.org/images/coffee.webp"
    assert found["media_url"] == "https://media.fair.example.org/"
    # Private files go to their own bucket, readable only with credentials.
    assert found["private"] == ["S3Storage", "feria-private", "private", True]
    # Browsers may load images from the bucket, and nothing else is loosened.
    assert found["img_src"] == ["'self'", "data:", "https://media.fair.example.org"]
    assert found["csp_img_src"] == found["img_src"]
    assert found["admin_img_src"] == ["'self'", "data:", "blob:", "https://media.fair.example.org"]

    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("public_url", [None, "http://media.fair.example.org/", "media.fair.example.org"])
def test_production_s3_needs_https_public_url(public_url):
    env = production_env(FERIA_S3_BUCKET="feria-media", FERIA_S3_PRIVATE_BUCKET="feria-private")
    if public_url:
        env["FERIA_S3_PUBLIC_URL"] = public_url
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "FERIA_S3_PUBLIC_URL" in result.stderr


@pytest.mark.parametrize("private_bucket", [None, "feria-media"])
def test_production_s3_needs_a_separate_private_bucket(private_bucket):
    env = production_env(FERIA_S3_BUCKET="feria-media", FERIA_S3_PUBLIC_URL="https://media.fair.example.org/")
    if private_bucket:
        env["FERIA_S3_PRIVATE_BUCKET"] = private_bucket
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "FERIA_S3_PRIVATE_BUCKET" in result.stderr


SITE_URL = "from django.conf import settings as s; print(s.FERIA_SITE_URL)"


def site_url(env: dict[str, str]) -> str:
    result = run_python(f"import django; django.setup(); {SITE_URL}", env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_e_mail_links_origin_comes_from_the_environment_or_the_allowed_host():
    assert site_url(production_env()) == "https://fair.example.org"
    assert site_url(production_env(FERIA_SITE_URL="https://feria.camara.example/")) == (
        "https://feria.camara.example"
    )
    assert site_url(clean_env("cms.settings.dev")) == "http://127.0.0.1:8000"
    assert site_url(clean_env("cms.settings.dev", FERIA_SITE_URL="http://127.0.0.1:8103")) == (
        "http://127.0.0.1:8103"
    )
