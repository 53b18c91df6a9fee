"""Real servers for the tests that serve over HTTP: `make run`'s gunicorn,
started on a free loopback port and stopped by its PID."""

import contextlib
import http.client
import os
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_command(port):
    """The gunicorn command line of `make run`, as make would run it."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    [line] = [line for line in dry_run.stdout.splitlines() if "bin/gunicorn " in line]
    return shlex.split(line)


def get(port, path, timeout, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()
        return response
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(log, **env):
    """`make run`'s gunicorn with ``env`` added to this process's environment;
    yields its port."""
    with gunicorn_process(log, **env) as (port, _):
        yield port


@contextlib.contextmanager
def gunicorn_process(log, **env):
    """As gunicorn(), yielding the port and the process, for a test that stops
    the server itself."""
    port = free_port()
    env = (
        os.environ
        | {
            "DJANGO_SECRET_KEY": "serving-test",
            "DJANGO_DEBUG": "",
            # A page cache of its own: never one that another test's site filled.
            "PAGE_CACHE_DIR": str(log.parent / "page-cache"),
        }
        | env
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            run_command(port), cwd=ROOT, env=env, stdout=output, stderr=output
        )
    try:
        wait_until_serving(port, process, log)
        yield port, process
    finally:
        stop(process)


def stop(process, timeout=30):
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_serving(port, process, log, path="/robots.txt"):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited:\n{log.read_text()}")
        try:
            # The application answers: a page, or on a production site served
            # over plain HTTP, its redirect to HTTPS. nginx says 502 until
            # gunicorn is up.
            if get(port, path, timeout=5).status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{process.args[0]} did not answer within 30 s:\n{log.read_text()}")


def manage(*args, **env):
    """A manage.py command run as `make run` would, with ``env`` added."""
    return subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", *args],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SECRET_KEY": "serving-test"} | env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


def collect_static(static_root):
    """collectstatic into ``static_root``, as `make run` does: pages served with
    DEBUG off name the hashed files of its manifest."""
    manage("collectstatic", "--noinput", STATIC_ROOT=str(static_root), DJANGO_DEBUG="")
    return static_root


def migrate(database_url):
    manage("migrate", "--noinput", DATABASE_URL=database_url)


def site_environment(tmp_path):
    """A site of its own under ``tmp_path``: a migrated SQLite database and a
    page cache, for a server and the commands run beside it."""
    database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrate(database_url)
    return {
        "DATABASE_URL": database_url,
        "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
    }
