"""deploy/nginx.conf in front of `make run`'s gunicorn, both started for real on
loopback ports: static files and uploads from disk, pages proxied, and pages the
application marks cacheable kept no longer than the micro-cache's bound."""

import contextlib
import json
import os
import time

import pytest

from tests.servers import get, gunicorn_process, manage, migrate, nginx_front, stop

pytestmark = pytest.mark.nginx

# deploy/nginx.conf's proxy_cache_valid: how long after an edit a page may
# still show the old version.
MICRO_CACHE = 1


@contextlib.contextmanager
def served_site(folder, nginx, **settings):
    """The demo site in a database of its own, served by gunicorn behind nginx,
    with ``settings`` added to its environment.

    Yields nginx's port, the site's environment and gunicorn's process."""
    env = settings | {
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        # nginx serves uploads: the application would answer 404.
        "DJANGO_SERVE_MEDIA": "0",
        # The server's page cache, which the edits made beside it must reach.
        "PAGE_CACHE_DIR": str(folder / "page-cache"),
    }
    migrate(env["DATABASE_URL"])
    manage("load_demo_content", "--force", **env)
    manage("collectstatic", "--noinput", DJANGO_DEBUG="", **env)
    with gunicorn_process(folder / "gunicorn.log", **env) as (app_port, app):
        front = nginx_front(
            nginx, folder / "nginx", [app_port], env["STATIC_ROOT"], env["MEDIA_ROOT"]
        )
        with front as port:
            yield port, env, app


@pytest.fixture(scope="module")
def site(nginx, tmp_path_factory):
    with served_site(tmp_path_factory.mktemp("site"), nginx) as (port, env, _):
        yield port, env


def test_static_files_are_served_from_disk_for_good(site):
    port, env = site
    with open(os.path.join(env["STATIC_ROOT"], "staticfiles.json")) as manifest:
        hashed = json.load(manifest)["paths"]["site.css"]
    response = get(port, f"/static/{hashed}", timeout=10)
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/css"
    assert response.getheader("Cache-Control") == "max-age=315360000"
    # Not proxied: only the application's responses carry a cache status.
    assert response.getheader("X-Cache-Status") is None
    unhashed = get(port, "/static/site.css", timeout=10)
    assert unhashed.getheader("Cache-Control") == "max-age=3600"


def test_uploads_are_served_from_disk_for_good(site):
    port, env = site
    folder = os.path.join(env["MEDIA_ROOT"], "images")
    os.makedirs(folder, exist_ok=True)
    content = b"\xff\xd8\xff\xe0 a JPEG's bytes"
    with open(os.path.join(folder, "0f1e2d3c.jpg"), "wb") as upload:
        upload.write(content)
    response = get(port, "/media/images/0f1e2d3c.jpg", timeout=10)
    assert response.status == 200
    assert response.body == content
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("Cache-Control") == "max-age=315360000"


def test_reader_pages_are_proxied(site):
    port, _ = site
    response = get(port, "/", timeout=10)
    assert response.status == 200
    assert "Myeloma" in response.body.decode()
    assert response.getheader("X-Cache-Status") is not None


def test_a_page_not_marked_cacheable_is_never_kept(site):
    port, _ = site
    statuses = [
        get(port, "/no-such-page/", timeout=10).getheader("X-Cache-Status")
        for _ in range(2)
    ]
    assert statuses == ["MISS", "MISS"]


def test_the_admin_is_never_cached(site):
    port, _ = site
    response = get(port, "/admin/login/", timeout=10)
    assert response.status == 200
    assert response.getheader("X-Cache-Status") is None


def test_a_reader_page_is_kept_though_browsers_must_ask(site):
    """Reader pages say max-age=0 for browsers and s-maxage for shared caches:
    nginx keeps them."""
    port, _ = site
    first = get(port, "/", timeout=10)
    assert "max-age=0" in first.getheader("Cache-Control")
    assert "s-maxage=" in first.getheader("Cache-Control")
    statuses = {
        get(port, "/", timeout=10).getheader("X-Cache-Status") for _ in range(3)
    }
    assert "HIT" in statuses


def test_a_cacheable_page_is_kept_and_an_edit_shows_within_the_bound(site):
    port, env = site
    # The feed marks itself cacheable (Cache-Control: public, max-age).
    first = get(port, "/feed/", timeout=10)
    second = get(port, "/feed/", timeout=10)
    assert "public" in first.getheader("Cache-Control")
    assert second.getheader("X-Cache-Status") == "HIT"
    assert second.body == first.body

    manage(
        "shell",
        "--no-imports",
        "-c",
        "from articles.models import Article; "
        "article = Article.objects.published().latest('published_at'); "
        "article.title = 'An edited title, seen through nginx'; article.save()",
        **env,
    )
    edited = time.monotonic()
    while (
        b"An edited title, seen through nginx"
        not in get(port, "/feed/", timeout=10).body
    ):
        assert time.monotonic() - edited < MICRO_CACHE + 1, "edit not shown in time"
        time.sleep(0.05)


def test_readers_get_the_last_copy_while_the_application_is_down(nginx, tmp_path):
    with served_site(tmp_path, nginx) as (port, _, app):
        cached = get(port, "/feed/", timeout=10)
        stop(app)
        time.sleep(MICRO_CACHE + 0.5)
        response = get(port, "/feed/", timeout=10)
    assert response.status == 200
    assert response.getheader("X-Cache-Status") == "STALE"
    assert response.body == cached.body


def test_https_said_by_a_proxy_in_front_reaches_the_application(nginx, tmp_path):
    """TLS ended before nginx: the proxy's X-Forwarded-Proto gets through, and
    nginx keeps the pages of the two schemes apart."""
    with served_site(tmp_path, nginx, DJANGO_PRODUCTION="1") as (port, _, _):
        over_https = [
            get(port, "/feed/", timeout=10, headers={"X-Forwarded-Proto": "https"})
            for _ in range(2)
        ]
        over_http = get(port, "/feed/", timeout=10)
    assert [r.status for r in over_https] == [200, 200]
    assert over_https[1].getheader("X-Cache-Status") == "HIT"
    assert over_http.status == 301
    # To the host as the reader named it (here with the test's port).
    assert over_http.getheader("Location") == f"https://127.0.0.1:{port}/feed/"
