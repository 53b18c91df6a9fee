"""The server's log: one line per event on standard error (workflow moves,
emails that could not be sent, request errors), JSON with LOG_FORMAT=json, and
server errors mailed to ADMINS once a mail server is configured
(articles/log_lines.py). Each runs in a process configured by its
environment alone."""

import json

import pytest

from tests.mail_server import free_port, smtp_server
from tests.servers import collect_static, migrate
from tests.test_email import in_site_process


@pytest.fixture
def site_database(site_database_url):
    if site_database_url.startswith("sqlite"):
        migrate(site_database_url)
    return site_database_url


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The 500 page names the hashed stylesheet, as served with DEBUG off."""
    return str(collect_static(tmp_path_factory.mktemp("static")))


def json_lines(stderr):
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_a_move_and_a_failed_email_are_one_json_line_each(site_database):
    _, stderr = in_site_process(
        "submit_for_review",
        DATABASE_URL=site_database,
        LOG_FORMAT="json",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(free_port()),  # Nothing listens: the email fails.
    )
    events = json_lines(stderr)
    [move] = [e for e in events if e["logger"] == "articles.workflow"]
    assert move["level"] == "INFO"
    assert (move["move"], move["from_status"], move["to_status"], move["user"]) == (
        "submit",
        "draft",
        "in_review",
        "writer",
    )
    assert "Living with relapsed myeloma" in move["message"]
    [failed] = [e for e in events if e["logger"] == "articles.notifications"]
    assert failed["level"] == "ERROR"
    assert failed["message"].startswith("Could not send “For medical review")
    assert "ConnectionRefusedError" in failed["exc_info"]


def test_as_text_a_traceback_stays_on_its_event_s_line(site_database):
    _, stderr = in_site_process(
        "submit_for_review",
        DATABASE_URL=site_database,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(free_port()),
    )
    [failed] = [line for line in stderr.splitlines() if "Could not send" in line]
    assert " ERROR articles.notifications: " in failed
    assert "Traceback (most recent call last):\\n" in failed
    assert "ConnectionRefusedError" in failed
    [move] = [line for line in stderr.splitlines() if "articles.workflow" in line]
    assert " INFO articles.workflow: " in move
    assert "submit (draft → in_review) by writer" in move


def test_a_server_error_is_logged_and_mailed_to_the_admins(site_database, static_root):
    with smtp_server() as (inbox, port):
        out, stderr = in_site_process(
            "broken_page",
            DATABASE_URL=site_database,
            STATIC_ROOT=static_root,
            LOG_FORMAT="json",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
            SERVER_EMAIL="errors@notes.example.org",
            ADMINS="Site Admin <admin@notes.example.org>",
        )
        recipients, message = inbox.wait_for("[Myeloma & Relapse Notes] ERROR")
    assert out.strip() == "500"
    [error] = [e for e in json_lines(stderr) if e["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert "RuntimeError: A bug in a view" in error["exc_info"]
    assert recipients == ["admin@notes.example.org"]
    assert message["From"] == "errors@notes.example.org"
    assert "Internal Server Error: /broken/" in " ".join(message["Subject"].split())


def test_without_a_mail_server_errors_are_only_logged(site_database, static_root):
    out, stderr = in_site_process(
        "broken_page",
        DATABASE_URL=site_database,
        STATIC_ROOT=static_root,
        ADMINS="Site Admin <admin@notes.example.org>",
    )
    assert "Internal Server Error: /broken/" in stderr
    # The console email backend would have printed the report.
    assert "admin@notes.example.org" not in out + stderr
