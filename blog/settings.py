"""Settings for the cancer-information blog, read from the environment.

Every variable is documented in README.md under "Configuration".
"""

import math
import os
import secrets
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

from articles import log_lines

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
# Demo content (manage.py load_demo_content) goes only into the single-machine
# default: never into a production database, or one named in DATABASE_URL,
# unless DEMO_CONTENT=1 asks for it.
DEMO_CONTENT = env_bool(
    "DEMO_CONTENT", default=not (PRODUCTION or os.environ.get("DATABASE_URL"))
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SITE_NAME = os.environ.get("SITE_NAME", "Myeloma & Relapse Notes")
# Where `make run` and `make dev` serve (the Makefile's HOST and PORT).
SERVE_HOST = os.environ.get("HOST") or "127.0.0.1"
SERVE_PORT = os.environ.get("PORT") or "8000"
# The public address for absolute links: canonical URLs, feeds, structured data,
# emails. Unset, the address being served, so `make run PORT=8202` links to 8202.
SITE_URL = (
    os.environ.get("SITE_URL")
    or f"http://{f'[{SERVE_HOST}]' if ':' in SERVE_HOST else SERVE_HOST}:{SERVE_PORT}"
).rstrip("/")

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
    "articles.glossary",
    "articles",
    "articles.pages",
    "articles.wordpress",
]

MIDDLEWARE = [
    # First: a probe gets its answer whatever its Host header or scheme.
    "articles.health.HealthCheckMiddleware",
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
            static_lazy("articles/admin/reading_level.js"),
        ],
        "extensions": {
            "VagueLinks": adds_no_html,
            "LinkRetyping": adds_no_html,
            "FieldLabel": adds_no_html,
            "ReadingLevel": adds_no_html,
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

# The reference link checker (manage.py check_references, articles/linkcheck).
# A source is "broken" only after this many failed checks in a row spread over
# at least this many days: one timeout, or a server down for an afternoon, is
# not a dead citation.
LINK_CHECK_BROKEN_AFTER_FAILURES = int(
    os.environ.get("LINK_CHECK_BROKEN_AFTER_FAILURES", 3)
)
LINK_CHECK_BROKEN_AFTER_DAYS = int(os.environ.get("LINK_CHECK_BROKEN_AFTER_DAYS", 2))
# Seconds to wait for each request; requests at once, in all and to one host;
# tries again after an error or a 5xx, waiting LINK_CHECK_BACKOFF seconds,
# then twice that, and so on.
LINK_CHECK_TIMEOUT = float(os.environ.get("LINK_CHECK_TIMEOUT", 10))
LINK_CHECK_CONCURRENCY = int(os.environ.get("LINK_CHECK_CONCURRENCY", 8))
LINK_CHECK_PER_HOST = int(os.environ.get("LINK_CHECK_PER_HOST", 2))
LINK_CHECK_RETRIES = int(os.environ.get("LINK_CHECK_RETRIES", 2))
LINK_CHECK_BACKOFF = float(os.environ.get("LINK_CHECK_BACKOFF", 2))
# The admin's "Check sources now" waits this long at most for its answer.
LINK_CHECK_ADMIN_SECONDS = float(os.environ.get("LINK_CHECK_ADMIN_SECONDS", 20))
# Editors type the addresses the server fetches: by default none on this
# machine or its private network (the cloud's metadata service among them).
LINK_CHECK_PRIVATE_ADDRESSES = env_bool("LINK_CHECK_PRIVATE_ADDRESSES")


# An article whose body reads above this Flesch–Kincaid grade gets a warning
# in the admin (articles/reading_level.py). Patient-information guidance aims
# at a reading age of 11–12: about grade 6 to 8.
def load_reading_grade_target():
    value = os.environ.get("READING_GRADE_TARGET") or "8"
    try:
        grade = float(value)
    except ValueError:
        grade = None
    if grade is None or not math.isfinite(grade):
        raise ImproperlyConfigured(
            f"READING_GRADE_TARGET must be a school grade such as 8, not {value!r}."
        )
    return grade


READING_GRADE_TARGET = load_reading_grade_target()

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
# The admin's WordPress import (articles/wordpress/uploads_zip.py): a zip of the
# old uploads folder with more entries, or more bytes once unpacked, is refused.
# A WordPress folder keeps five or six sizes of each image.
WORDPRESS_ZIP_MAX_FILES = int(os.environ.get("WORDPRESS_ZIP_MAX_FILES", 50_000))
WORDPRESS_ZIP_MAX_BYTES = int(os.environ.get("WORDPRESS_ZIP_MAX_BYTES", 2_000_000_000))

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

# Email: the workflow's notifications, and errors to ADMINS. With EMAIL_HOST set
# it goes out through that SMTP server; without, to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both."
    )
# Notifications are sent as a workflow move commits: a mail server that does
# not answer must not hold the editor's request for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "webmaster@localhost"
# The sender of error reports to ADMINS.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
# Who gets an email for each server error: "Ann Lee <ann@example.org>, …".
ADMINS = [
    (name, address)
    for name, address in getaddresses([os.environ.get("ADMINS", "")])
    if address
]

# One line per event on standard error, JSON with LOG_FORMAT=json; server
# errors also by email to ADMINS, once a mail server is configured.
EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
LOG_FORMAT = os.environ.get("LOG_FORMAT") or "text"
LOGGING = log_lines.config(
    LOG_FORMAT,
    mail_admins=bool(ADMINS and (EMAIL_HOST or os.environ.get("DJANGO_EMAIL_BACKEND"))),
)
