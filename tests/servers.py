"""Real servers for the tests that serve over HTTP: `make run`'s gunicorn,
started on a free loopback port and stopped by its PID."""

import contextlib
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The top of an nginx.conf, as /etc/nginx/nginx.conf is on Debian, with every
# file it writes in the test's own folder.
NGINX_MAIN_CONF = """\
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


def find_nginx():
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def nginx_site_conf(placeholders, app_ports):
    """deploy/nginx.conf with its @NAME@ placeholders filled in, and one
    upstream ``server`` line per app server, as the README says to add them."""
    text = (ROOT / "deploy/nginx.conf").read_text()
    first, *others = app_ports
    more = "".join(f"\n    server 127.0.0.1:{port};" for port in others)
    text = text.replace("server @APP@;", f"server @APP@;{more}")
    placeholders = placeholders | {"APP": f"127.0.0.1:{first}"}
    for name, value in placeholders.items():
        text = text.replace(f"@{name}@", str(value))
    assert not re.search(r"@[A-Z_]+@", text), "a placeholder was left unfilled"
    return text


@contextlib.contextmanager
def nginx_front(nginx, run, app_ports, static_root, media_root):
    """Debian's nginx with deploy/nginx.conf on a free loopback port, in front
    of the app servers on ``app_ports``; its files go in ``run``. Yields its
    port."""
    run.mkdir()
    port = free_port()
    placeholders = {
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_NAME": "127.0.0.1",
        "STATIC_ROOT": static_root,
        "MEDIA_ROOT": media_root,
        "CACHE_DIR": run / "cache",
    }
    (run / "blog.conf").write_text(nginx_site_conf(placeholders, app_ports))
    (run / "nginx.conf").write_text(NGINX_MAIN_CONF.format(run=run))
    log = run / "error.log"
    command = [nginx, "-p", f"{run}/", "-c", run / "nginx.conf", "-e", log]
    with log.open("a") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(port, process, log)
        yield port
    finally:
        stop(process)


@contextlib.contextmanager
def moto_server(log):
    """moto's standalone S3 server on a free loopback port; yields its address."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [ROOT / ".venv/bin/moto_server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=output,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield endpoint
    finally:
        stop(process)


def public_read(bucket):
    """The bucket policy the README asks of operators: anyone may read, only
    the site writes."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )
