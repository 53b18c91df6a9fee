"""Settings for the cancer-information blog, read from the environment.

Every variable is documented in README.md under "Configuration".
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Production means served behind HTTPS by a real domain: the secret key must come
# from the environment and the HTTPS-only protections below switch on.
PRODUCTION = env_bool("DJANGO_PRODUCTION")


def load_secret_key():
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_PRODUCTION is on."
        )
    # Single-machine mode: generate a key once and keep it in a git-ignored file,
    # so sessions survive restarts without a key ever living in the repository.
    key_file = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SITE_NAME = os.environ.get("SITE_NAME", "Myeloma & Relapse Notes")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prose_editor",
    "reversion",
    "articles.images",
    "articles",
    "articles.pages",
    "articles.wordpress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.page_cache.PageCacheMiddleware",
    "articles.wordpress.middleware.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.SecurityHeadersMiddleware",
    # Last, so its process_exception sees a view's database error first.
    "articles.outages.DatabaseOutageMiddleware",
]
ADMIN_URL_PREFIX = "admin/"

ROOT_URLCONF = "blog.urls"
WSGI_APPLICATION = "blog.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.site.context",
                "articles.pages.context_processors.site_pages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Whole reader pages, shared by every worker (articles/page_cache.py): in files
# under the project, or in Redis when REDIS_URL is set, which servers can share.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    PAGES_CACHE_BACKEND = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
else:
    PAGES_CACHE_BACKEND = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PAGE_CACHE_DIR", BASE_DIR / "page-cache"),
        # Django's 300 would have a site of a thousand articles throw pages
        # out as fast as it stores them.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": PAGES_CACHE_BACKEND,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# The site's language, British English by default. It also sets how dates are
# shown and typed: with en-gb, 04/05/2023 in an admin date box is 4 May 2023
# (blog/formats/en_GB adds "4 May 2023" and the other forms editors type).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE") or "en-gb"
FORMAT_MODULE_PATH = ["blog.formats"]
# Datetimes are stored in UTC; TIME_ZONE is the site time shown to people.
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True

STATIC_URL = "static/"
# Where collectstatic writes, and where nginx serves /static/ from
# (deploy/nginx.conf).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]


def adds_no_html(extension_config, allowlist):
    """The body editor's own extensions only change how it behaves: the HTML
    allowed in a body stays articles/sanitize.py's."""


# The body editor's own extensions, enabled in articles/fields.py.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [
            static_lazy("articles/admin/vague_links.js"),
            static_lazy("articles/admin/link_retyping.js"),
            static_lazy("articles/admin/field_label.js"),
        ],
        "extensions": {
            "VagueLinks": adds_no_html,
            "LinkRetyping": adds_no_html,
            "FieldLabel": adds_no_html,
        },
    }
]

# The address pages link uploads at: /media/ on this host, or with a bucket
# below, the bucket's public address or a CDN in front of it.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# In single-machine mode the application serves uploads itself; in production a
# web server or object store in front of it does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=not PRODUCTION)


def media_storage():
    """Uploads on disk under MEDIA_ROOT, or in S3-compatible object storage
    when a bucket is named, so that every app server sees the same files."""
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    address = urlsplit(MEDIA_URL)
    if not address.netloc:
        raise ImproperlyConfigured(
            "With AWS_STORAGE_BUCKET_NAME set, MEDIA_URL must be the full address "
            "readers fetch media from: the bucket's public address or a CDN's."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Credentials come from boto3's usual places: AWS_ACCESS_KEY_ID and
        # AWS_SECRET_ACCESS_KEY in the environment, or the server's role.
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Links are MEDIA_URL plus the file's name: stored names are random
            # tokens, so plain public addresses give nothing away, and unlike
            # signed ones they can be cached by browsers and a CDN.
            "custom_domain": f"{address.netloc}{address.path}".rstrip("/"),
            "url_protocol": f"{address.scheme}:",
            "querystring_auth": False,
            "file_overwrite": False,
            # Names never change content: a year, as for static files.
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A medical review is due again this many months after the last one.
MEDICAL_REVIEW_INTERVAL_MONTHS = int(
    os.environ.get("MEDICAL_REVIEW_INTERVAL_MONTHS", 12)
)

# Uploaded images larger than this many pixels are refused (a decompression bomb
# or a camera original far bigger than any page needs).
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))
FILE_UPLOAD_PERMISSIONS = 0o644
# Form fields (not files) of one request. Django's 2.5 MB would answer an
# over-long article body with a bare 400 and lose it; at 10 MB the article
# form's own limit (articles.admin.forms) answers first, with the text kept.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An image upload kept while its form is corrected
# (articles/images/pending_uploads.py). Never under MEDIA_ROOT: nothing here may
# be served.
PENDING_UPLOADS_ROOT = Path(
    os.environ.get("PENDING_UPLOADS_ROOT", BASE_DIR / "pending-uploads")
)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
