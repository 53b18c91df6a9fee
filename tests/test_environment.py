"""One environment for the operator: `make run` serves on HOST:PORT and links
there, and keeps the settings it was given in .env, so that every manage.py
command it or the README prints reaches the same site (blog/env_file.py,
articles/management/commands/save_environment.py)."""

import io
import os
import re
import shlex
import signal
import subprocess

import pytest
from django.core.management import call_command

from articles.management.commands.save_environment import KEPT
from articles.site import address_problem
from blog import env_file
from tests.servers import (
    ROOT,
    free_port,
    get,
    gunicorn,
    site_environment,
    wait_until_serving,
)

README_CHANGEPASSWORD = ".venv/bin/python manage.py changepassword admin"


def shell_env(**env):
    """The operator's shell: none of the settings make run was given."""
    given = {"DATABASE_URL", "SITE_URL", "HOST", "PORT", "DJANGO_ENV_FILE"}
    return {k: v for k, v in os.environ.items() if k not in given} | env


@pytest.fixture
def make_run(tmp_path, site_database_url):
    """`make run` on a free port, with every file it writes under ``tmp_path``
    and the database given by DATABASE_URL; yields the port and its output."""
    port = free_port()
    log = tmp_path / "make-run.log"
    env = shell_env(
        DATABASE_URL=site_database_url,
        DJANGO_ENV_FILE=str(tmp_path / ".env"),
        DJANGO_ADMIN_PASSWORD_FILE=str(tmp_path / "admin-password"),
        DJANGO_SECRET_KEY="make-run-test",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PAGE_CACHE_DIR=str(tmp_path / "page-cache"),
    )
    with log.open("w") as output:
        # A session of its own: make, gunicorn and its workers are stopped
        # together, by the group this test started.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_serving(port, process, log)
        yield port, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def project_sqlite_file():
    database = ROOT / "db.sqlite3"
    return database.exists() and database.stat().st_mtime_ns


def run_as_written(command, env_file_path, stdin=""):
    """``command`` typed in the project by an operator whose shell sets none of
    the site's settings (the .env file stands where the project's would)."""
    return subprocess.run(
        shlex.split(command) if isinstance(command, str) else command,
        cwd=ROOT,
        env=shell_env(DJANGO_ENV_FILE=str(env_file_path)),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        # No terminal: the password prompt reads standard input.
        start_new_session=True,
    )


def admin_password_is(password, env_file_path):
    check = run_as_written(
        [".venv/bin/python", "manage.py", "shell", "--no-imports", "-c"]
        + [
            "from django.contrib.auth.models import User; "
            f"print(User.objects.get(username='admin').check_password('{password}'))"
        ],
        env_file_path,
    )
    assert check.returncode == 0, check.stderr
    return check.stdout.strip() == "True"


def test_make_run_links_to_its_port_and_its_hints_reach_its_database(
    make_run, tmp_path, site_database_url
):
    sqlite_before = project_sqlite_file()
    port, log = make_run
    site = f"http://127.0.0.1:{port}"
    home = get(port, "/", timeout=10).body.decode()
    assert f'<link rel="canonical" href="{site}/">' in home
    feed = get(port, "/feed/", timeout=10).body.decode()
    assert f"<link>{site}/</link>" in feed
    output = log.read_text()
    assert f"Absolute links use SITE_URL {site}" in output
    assert "WARNING" not in output
    # A database named in DATABASE_URL is a real site's: no demo content.
    assert "Demo content not loaded" in output

    saved = tmp_path / ".env"
    assert f"DATABASE_URL='{site_database_url}'" in saved.read_text()
    assert f"PORT='{port}'" in saved.read_text()
    assert README_CHANGEPASSWORD in (ROOT / "README.md").read_text()
    changed = run_as_written(README_CHANGEPASSWORD, saved, "New-pass-4821\n" * 2)
    assert changed.returncode == 0, changed.stderr
    assert "Password changed successfully" in changed.stdout
    assert admin_password_is("New-pass-4821", saved)

    # With the password changed, ensure_admin prints the same command.
    hint = run_as_written(".venv/bin/python manage.py ensure_admin", saved)
    [printed] = re.findall(r"reset it with: (.*?)\)", hint.stdout)
    again = run_as_written(printed, saved, "Other-pass-7315\n" * 2)
    assert again.returncode == 0, again.stderr
    assert admin_password_is("Other-pass-7315", saved)
    assert project_sqlite_file() == sqlite_before


def test_gunicorn_warns_when_site_url_leads_to_another_port(tmp_path):
    elsewhere = "http://127.0.0.1:1"
    with gunicorn(
        tmp_path / "gunicorn.log", SITE_URL=elsewhere, **site_environment(tmp_path)
    ) as port:
        robots = get(port, "/robots.txt", timeout=10).body.decode()
    assert f"Sitemap: {elsewhere}/sitemap.xml" in robots
    log = (tmp_path / "gunicorn.log").read_text()
    assert (
        f"WARNING: SITE_URL is {elsewhere}, but this server listens on 127.0.0.1:{port}"
    ) in log


def test_a_site_url_on_a_proxy_is_not_a_problem():
    assert address_problem("https://blog.example.org", "127.0.0.1", 8000) is None
    assert address_problem("http://localhost:8000", "127.0.0.1", 8000) is None
    assert "8202" in address_problem("http://localhost:8000", "127.0.0.1", 8202)
    assert "no address a browser can open" in address_problem(
        "http://0.0.0.0:8000", "0.0.0.0", 8000
    )


def test_save_environment_keeps_the_given_settings_and_the_other_lines(
    tmp_path, monkeypatch
):
    saved = tmp_path / ".env"
    saved.write_text("# Written by hand\nSITE_NAME='Relapse notes'\n")
    monkeypatch.setenv("DJANGO_ENV_FILE", str(saved))
    monkeypatch.setenv("DATABASE_URL", "postgres://blog:p'w@db.internal:5432/blog")
    # Set, then unset: monkeypatch puts back what the file will set.
    monkeypatch.setenv("SITE_NAME", "")
    monkeypatch.delenv("SITE_NAME")
    call_command("save_environment", stdout=io.StringIO())
    text = saved.read_text()
    assert text.startswith("# Written by hand\nSITE_NAME='Relapse notes'\n")
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    monkeypatch.delenv("DATABASE_URL")
    env_file.load()
    assert os.environ["DATABASE_URL"] == "postgres://blog:p'w@db.internal:5432/blog"
    assert os.environ["SITE_NAME"] == "Relapse notes"


def test_every_documented_setting_is_kept():
    readme = (ROOT / "README.md").read_text()
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)`", configuration, re.MULTILINE))
    documented |= set(re.findall(r"^\| `[A-Z_]+`, `([A-Z_]+)`", configuration, re.M))
    assert documented
    # All but the file they are kept in.
    assert documented - {"DJANGO_ENV_FILE"} <= set(KEPT)


def test_make_dev_warns_when_site_url_leads_to_another_port(monkeypatch):
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("DJANGO_ENV_FILE", "")
    errors = io.StringIO()
    call_command(
        "save_environment",
        "--serving",
        "127.0.0.1:8300",
        stdout=io.StringIO(),
        stderr=errors,
    )
    assert "this server listens on 127.0.0.1:8300" in errors.getvalue()
