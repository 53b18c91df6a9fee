"""`make run`'s own server, started for real: gunicorn with deploy/gunicorn.conf.py."""

import http.client
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# As many connections as Chromium opens to one host, more than the workers:
# its preconnect sockets, which send nothing, held two sync workers for 30 s.
IDLE_SOCKETS = 6


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


def get(port, path, timeout):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def site_environment(tmp_path):
    """The environment of a server with a migrated database and a page cache
    of its own, both under ``tmp_path``."""
    env = os.environ | {
        "DJANGO_SECRET_KEY": "serving-test",
        "DJANGO_DEBUG": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


@contextmanager
def serving(tmp_path, env):
    """`make run`'s gunicorn on a free port, stopped by its PID afterwards."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            run_command(port), cwd=ROOT, env=env, stdout=output, stderr=output
        )
    try:
        wait_until_serving(port, process, log)
        yield port
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def server(tmp_path):
    with serving(tmp_path, site_environment(tmp_path)) as port:
        yield port


def wait_until_serving(port, process, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()}")
        try:
            if get(port, "/robots.txt", timeout=5).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def test_idle_connections_do_not_hold_up_a_page(server):
    idle = [
        socket.create_connection(("127.0.0.1", server)) for _ in range(IDLE_SOCKETS)
    ]
    try:
        started = time.monotonic()
        try:
            response = get(server, "/robots.txt", timeout=1)
        except TimeoutError:
            pytest.fail(f"No page within a second while {IDLE_SOCKETS} sockets idle")
        elapsed = time.monotonic() - started
    finally:
        for connection in idle:
            connection.close()
    assert response.status == 200
    assert elapsed < 1
