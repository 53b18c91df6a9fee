import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_manage(*args, **env):
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env | {"DJANGO_SETTINGS_MODULE": "blog.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_PRODUCTION="1")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_checks_are_clean_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-looking-production-key-9f8e7d",
        DJANGO_ALLOWED_HOSTS="blog.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_single_machine_key_is_generated_once_into_a_file(tmp_path):
    key_file = tmp_path / "secret"
    show_key = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    ]
    first = run_manage(*show_key, DJANGO_SECRET_KEY_FILE=str(key_file))
    second = run_manage(*show_key, DJANGO_SECRET_KEY_FILE=str(key_file))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.strip() == key_file.read_text()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_allowed_hosts_come_from_a_comma_list():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.ALLOWED_HOSTS)",
        DJANGO_ALLOWED_HOSTS="a.example, ,b.example",
    )
    assert result.stdout.strip() == "['a.example', 'b.example']"


def test_database_connections_persist_with_health_checks():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_secret_files_are_git_ignored():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert {"/.secret_key", "/.admin-password", "/media/*"} <= set(ignored)
