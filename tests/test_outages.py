"""A database outage gives readers a 503 with Retry-After, never a 500, and the
site recovers by itself once the database is back. Real outages, served by
`make run`'s gunicorn: a database that cannot be opened, a closed PostgreSQL
port, and PostgreSQL cutting connections under load."""

import threading
import time

import psycopg2
import pytest
from django.db import connection

from tests.servers import collect_static, free_port, get, gunicorn, migrate

CLIENTS = 8
# Under load: connections cut for the first seconds, then refused for a while,
# then the database is back until the load stops.
CUTS_SECONDS = 2
DOWN_SECONDS = 1.5
LOAD_SECONDS = 6


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return collect_static(tmp_path_factory.mktemp("static"))


def assert_unavailable(response):
    body = response.body.decode()
    assert response.status == 503
    assert response.getheader("Retry-After") == "30"
    assert response.getheader("Cache-Control") == "no-store"
    assert "Back in a moment" in body
    assert "Error" not in body
    assert "Traceback" not in body


def test_a_database_that_cannot_be_opened_gives_503_then_recovers(
    tmp_path, static_root
):
    # SQLite cannot create a file in a folder that does not exist.
    folder = tmp_path / "not-yet"
    database_url = f"sqlite:///{folder}/db.sqlite3"
    with gunicorn(
        tmp_path / "gunicorn.log", DATABASE_URL=database_url, STATIC_ROOT=static_root
    ) as port:
        assert_unavailable(get(port, "/", timeout=10))
        folder.mkdir()
        migrate(database_url)
        assert get(port, "/", timeout=10).status == 200


def test_a_closed_postgresql_port_gives_503(tmp_path, static_root):
    closed = free_port()
    with gunicorn(
        tmp_path / "gunicorn.log",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/blog",
        STATIC_ROOT=static_root,
    ) as port:
        for path in ("/", "/feed/", "/search/?q=myeloma"):
            assert_unavailable(get(port, path, timeout=10))


def load(port, statuses, until):
    while time.monotonic() < until:
        try:
            statuses.append(get(port, "/", timeout=10).status)
        except OSError as error:
            statuses.append(repr(error))


@pytest.fixture
def control(db):
    """A connection of its own to the server, outside the test's transaction,
    from which the outage is made."""
    settings_dict = connection.settings_dict
    control = psycopg2.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        dbname="postgres",
    )
    control.autocommit = True
    try:
        yield control.cursor()
    finally:
        control.close()


def cut_connections(cursor, database):
    cursor.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        [database],
    )
    return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.parametrize("page_cache", ["off", "on"])
def test_connections_cut_and_refused_under_load_give_no_500s(
    tmp_path, static_root, control, page_cache
):
    """With the page cache off every request asks the database, so readers
    see 503s while it is down; with it on, the page kept before the outage."""
    settings_dict = connection.settings_dict
    database = settings_dict["NAME"]
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{database}"
    )
    statuses = []
    cut = 0
    with gunicorn(
        tmp_path / "gunicorn.log",
        DATABASE_URL=database_url,
        STATIC_ROOT=static_root,
        PAGE_CACHE=page_cache,
    ) as port:
        assert get(port, "/", timeout=10).status == 200
        started = time.monotonic()
        clients = [
            threading.Thread(target=load, args=(port, statuses, started + LOAD_SECONDS))
            for _ in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        # First connections cut while they serve, as a crashing server or a
        # failover does; then, as while PostgreSQL restarts, none accepted.
        while time.monotonic() < started + CUTS_SECONDS:
            cut += cut_connections(control, database)
            time.sleep(0.01)
        control.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        try:
            cut += cut_connections(control, database)
            time.sleep(DOWN_SECONDS)
        finally:
            control.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
        for client in clients:
            client.join(timeout=30)
        after = get(port, "/", timeout=10).status
    assert cut > 0
    if page_cache == "off":
        assert 503 in statuses
        assert set(statuses) <= {200, 503}, sorted(set(map(str, statuses)))
    else:
        assert set(statuses) == {200}, sorted(set(map(str, statuses)))
    assert after == 200
