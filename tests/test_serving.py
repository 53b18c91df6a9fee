"""`make run`'s own server, started for real: gunicorn with deploy/gunicorn.conf.py."""

import contextlib
import os
import re
import runpy
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.servers import (
    ROOT,
    get,
    gunicorn,
    gunicorn_process,
    run_command,
    site_environment,
)

# As many connections as Chromium opens to one host, more than the workers:
# its preconnect sockets, which send nothing, held two sync workers for 30 s.
IDLE_SOCKETS = 6


@pytest.fixture
def server(tmp_path):
    """`make run`'s gunicorn on a free port, stopped by its PID afterwards."""
    # A miss in the page cache asks the database when the next article is due.
    with gunicorn(tmp_path / "gunicorn.log", **site_environment(tmp_path)) as port:
        yield port


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


def workers_of(arbiter_pid):
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The parent's pid follows the command name, which may hold spaces.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == arbiter_pid:
                children.add(int(stat.parent.name))
    return children


def test_web_concurrency_sets_the_number_of_workers(tmp_path):
    env = site_environment(tmp_path) | {"WEB_CONCURRENCY": "3"}
    with gunicorn_process(tmp_path / "gunicorn.log", **env) as (_, arbiter):
        deadline = time.monotonic() + 20
        while len(workers_of(arbiter.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        assert len(workers_of(arbiter.pid)) == 3


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (8, 8)])
def test_there_is_a_worker_for_each_core_and_never_fewer_than_two(
    monkeypatch, cores, workers
):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    config = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    assert config["workers"] == workers


def test_a_port_another_program_holds_stops_the_start_at_once(tmp_path):
    # The workers each open their own socket (reuse_port): without a check
    # before they start, each would fail in turn for as long as the port is held.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = os.environ | site_environment(tmp_path) | {"DJANGO_SECRET_KEY": "x"}
        finished = subprocess.run(
            run_command(port), cwd=ROOT, env=env, capture_output=True, timeout=30
        )
    assert finished.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in finished.stderr.decode()


def test_each_worker_listens_on_a_socket_of_its_own(server):
    held = [
        int(pid)
        for line in subprocess.run(
            ["ss", "-Htlnp", f"sport = :{server}"], capture_output=True, text=True
        ).stdout.splitlines()
        for pid in re.findall(r"pid=(\d+)", line)
    ]
    # One listening socket per worker (at least two), none left to the arbiter.
    assert len(held) == len(set(held)) >= 2
