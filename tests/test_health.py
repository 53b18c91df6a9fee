"""`/healthz` for load balancers and probes (articles/health.py): 200 when the
database and Redis answer, 503 when one does not; never cached, never in the
access log."""

import os

import pytest
import redis

from tests.servers import collect_static, free_port, get, gunicorn, migrate

REDIS_URL = "redis://127.0.0.1:6379/0"
MISSING_REDIS = (
    "No Redis on 127.0.0.1:6379: the health check's Redis test did not run; "
    "install Debian's redis-server and start it."
)


@pytest.fixture
def running_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_REDIS)
        pytest.skip(MISSING_REDIS)
    finally:
        client.close()
    return REDIS_URL


def test_healthy_when_the_database_answers(client, db, tmp_path):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert response["Cache-Control"] == "no-store"
    # Not kept by the page cache, which stays on in tests.
    client.get("/healthz")
    assert not any((tmp_path / "page-cache").glob("**/*.djcache"))


def test_answered_whatever_the_host_and_scheme(client, db, settings):
    # A probe asks by address over plain HTTP, behind the HTTPS redirect.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["blog.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_healthy_when_redis_answers_too(client, db, settings, running_redis):
    settings.REDIS_URL = running_redis
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_unhealthy_when_redis_does_not_answer(client, db, settings, caplog):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "unavailable"}
    assert "Health check: redis unavailable" in caplog.text


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return collect_static(tmp_path_factory.mktemp("static"))


def access_log(log):
    return [line for line in log.read_text().splitlines() if '"GET /' in line]


def test_a_refused_postgresql_connection_gives_503_and_no_access_log(
    tmp_path, static_root
):
    log = tmp_path / "gunicorn.log"
    with gunicorn(
        log,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/blog",
        STATIC_ROOT=static_root,
    ) as port:
        for _ in range(2):
            response = get(port, "/healthz", timeout=10)
            assert response.status == 503
            assert response.getheader("Cache-Control") == "no-store"
    lines = access_log(log)
    assert any("/robots.txt" in line for line in lines)
    assert not any("/healthz" in line for line in lines)
    assert "Health check: database unavailable" in log.read_text()


def test_a_database_that_cannot_be_opened_then_can(tmp_path, static_root):
    folder = tmp_path / "not-yet"
    database_url = f"sqlite:///{folder}/db.sqlite3"
    with gunicorn(
        tmp_path / "gunicorn.log", DATABASE_URL=database_url, STATIC_ROOT=static_root
    ) as port:
        assert get(port, "/healthz", timeout=10).status == 503
        folder.mkdir()
        migrate(database_url)
        assert get(port, "/healthz", timeout=10).status == 200
