"""Email configured from the environment reaches a real SMTP server: the
workflow's notification, from DEFAULT_FROM_EMAIL, linking to SITE_URL."""

import os
import subprocess

import pytest

from tests.mail_server import smtp_server
from tests.servers import ROOT, migrate

SITE = "https://notes.example.org"
SENDER = "Myeloma Notes <editors@notes.example.org>"


def in_site_process(scenario, **env):
    """Run tests.scenarios.``scenario`` under manage.py with ``env``; its
    standard output and error."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    result = subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", "shell", "--no-imports", "-c"]
        + [f"from tests.scenarios import {scenario}; {scenario}()"],
        cwd=ROOT,
        env=clean | {"DJANGO_SECRET_KEY": "email-test", "DJANGO_DEBUG": ""} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


@pytest.fixture
def site_database(site_database_url):
    if site_database_url.startswith("sqlite"):
        migrate(site_database_url)
    return site_database_url


def test_the_review_notification_arrives_from_the_configured_sender(site_database):
    with smtp_server() as (inbox, port):
        out, _ = in_site_process(
            "submit_for_review",
            DATABASE_URL=site_database,
            SITE_URL=SITE,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
            DEFAULT_FROM_EMAIL=SENDER,
        )
        recipients, message = inbox.wait_for("For medical review")
    article_id = out.split()[-1]
    assert recipients == ["reviewer@example.org"]
    assert message["From"] == SENDER
    assert message["Subject"] == "For medical review: Living with relapsed myeloma"
    body = message.get_payload(decode=True).decode()
    assert f"{SITE}/admin/articles/article/{article_id}/review/" in body


def settings_in_process(*names, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EMAIL_", "DJANGO_EMAIL", "ADMINS", "DEFAULT_FROM"))
    }
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    return subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_email_settings_come_from_the_environment():
    result = settings_in_process(
        "EMAIL_BACKEND",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "EMAIL_HOST_USER",
        "SERVER_EMAIL",
        "ADMINS",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        EMAIL_HOST_USER="notes",
        EMAIL_HOST_PASSWORD="secret",
        DEFAULT_FROM_EMAIL=SENDER,
        ADMINS="Ann Lee <ann@example.org>, ops@example.org",
    )
    assert result.stdout.splitlines() == [
        "'django.core.mail.backends.smtp.EmailBackend'",
        "587",
        "True",
        "'notes'",
        repr(SENDER),
        "[('Ann Lee', 'ann@example.org'), ('', 'ops@example.org')]",
    ]


def test_without_a_mail_server_email_goes_to_the_console():
    result = settings_in_process("EMAIL_BACKEND", "ADMINS")
    assert result.stdout.splitlines() == [
        "'django.core.mail.backends.console.EmailBackend'",
        "[]",
    ]


def test_tls_and_ssl_together_are_refused():
    result = settings_in_process(
        "EMAIL_HOST",
        EMAIL_HOST="smtp.example.org",
        EMAIL_USE_TLS="1",
        EMAIL_USE_SSL="1",
    )
    assert result.returncode != 0
    assert "not both" in result.stderr
