"""deploy/nginx.conf in front of `make run`'s gunicorn, both started for real on
loopback ports: static files and uploads from disk, pages proxied, and pages the
application marks cacheable kept no longer than the micro-cache's bound."""

import contextlib
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from tests.conftest import shout
from tests.servers import (
    ROOT,
    free_port,
    get,
    gunicorn_process,
    manage,
    migrate,
    stop,
    wait_until_serving,
)

pytestmark = pytest.mark.nginx

MISSING_NGINX = (
    "nginx not found: the tests of deploy/nginx.conf did not run; "
    "install Debian's nginx package (apt-get install nginx)."
)
# deploy/nginx.conf's proxy_cache_valid: how long after an edit a page may
# still show the old version.
MICRO_CACHE = 1
# The top of an nginx.conf, as /etc/nginx/nginx.conf is on Debian, with every
# file it writes in the test's own folder.
MAIN_CONF = """\
daemon off;
master_process off;
pid {run}/nginx.pid;
error_log {run}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run}/access.log;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/blog.conf;
}}
"""


def find_nginx():
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def render(placeholders):
    """deploy/nginx.conf with its @NAME@ placeholders filled in."""
    text = (ROOT / "deploy/nginx.conf").read_text()
    for name, value in placeholders.items():
        text = text.replace(f"@{name}@", str(value))
    assert not re.search(r"@[A-Z_]+@", text), "a placeholder was left unfilled"
    return text


@pytest.fixture(scope="module")
def nginx(request, tmp_path_factory):
    executable = find_nginx()
    if executable is None:
        shout(request.config, MISSING_NGINX)
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_NGINX)
        pytest.skip(MISSING_NGINX)
    return executable


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
    manage("load_demo_content", **env)
    manage("collectstatic", "--noinput", DJANGO_DEBUG="", **env)
    run = folder / "nginx"
    run.mkdir()
    with gunicorn_process(folder / "gunicorn.log", **env) as (app_port, app):
        port = free_port()
        (run / "blog.conf").write_text(
            render(
                {
                    "LISTEN": f"127.0.0.1:{port}",
                    "SERVER_NAME": "127.0.0.1",
                    "APP": f"127.0.0.1:{app_port}",
                    "STATIC_ROOT": env["STATIC_ROOT"],
                    "MEDIA_ROOT": env["MEDIA_ROOT"],
                    "CACHE_DIR": run / "cache",
                }
            )
        )
        (run / "nginx.conf").write_text(MAIN_CONF.format(run=run))
        log = run / "error.log"
        command = [nginx, "-p", f"{run}/", "-c", run / "nginx.conf", "-e", log]
        with log.open("a") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until_serving(port, process, log)
            yield port, env, app
        finally:
            stop(process)


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
    assert over_http.getheader("Location") == "https://127.0.0.1/feed/"
