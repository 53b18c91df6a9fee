"""`make run`'s own server, started for real: gunicorn with deploy/gunicorn.conf.py."""

import socket
import time

import pytest

from tests.servers import get, gunicorn, site_environment

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
