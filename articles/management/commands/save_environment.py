"""Keep the settings this command is run with in the site's `.env` file
(blog/env_file.py), so that every later manage.py command, and the next
`make run`, works on the same site without being told again.

`make run` and `make dev` run it first: `DATABASE_URL=postgres://… make run`
once, and `.venv/bin/python manage.py changepassword admin` then changes the
password in that database, not in a new SQLite file.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.site import address_problem
from blog import env_file

# The variables of README.md's "Configuration" (a test keeps the two in step),
# and where make serves.
KEPT = (
    "HOST",
    "PORT",
    "DATABASE_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_SECRET_KEY_FILE",
    "DJANGO_ADMIN_PASSWORD_FILE",
    "DJANGO_DEBUG",
    "DJANGO_PRODUCTION",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DJANGO_SERVE_MEDIA",
    "DJANGO_EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "ADMINS",
    "LOG_FORMAT",
    "DEMO_CONTENT",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "STATIC_ROOT",
    "SITE_NAME",
    "SITE_URL",
    "IMAGE_MAX_PIXELS",
    "PENDING_UPLOADS_ROOT",
    "WORDPRESS_ZIP_MAX_FILES",
    "WORDPRESS_ZIP_MAX_BYTES",
    "PAGE_CACHE",
    "PAGE_CACHE_DIR",
    "REDIS_URL",
    "MEDICAL_REVIEW_INTERVAL_MONTHS",
    "READING_GRADE_TARGET",
)


class Command(BaseCommand):
    help = (
        "Keep the settings given in this command's environment in the site's "
        ".env file, for every later command."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--serving",
            metavar="HOST:PORT",
            help="Also warn when SITE_URL does not lead to this address.",
        )

    def handle(self, *args, serving=None, **options):
        values = {name: os.environ[name] for name in KEPT if name in os.environ}
        saved = env_file.save(values)
        if saved is not None:
            self.stdout.write(f"Settings kept in {saved}: {', '.join(values)}")
        if serving:
            host, _, port = serving.rpartition(":")
            if problem := address_problem(settings.SITE_URL, host, port):
                self.stderr.write(f"WARNING: {problem}")
