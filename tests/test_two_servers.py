"""The site on two app servers, as README.md's "Many servers" sets it up: two
`make run` gunicorns on their own loopback ports sharing one PostgreSQL
database, Redis for the page cache and an S3 bucket (moto's server) for
uploads, with deploy/nginx.conf in front of both.

An article edited and published through one server is what the other serves
on the next request, image included, and an editor signed in through nginx
stays signed in, with a CSRF token that holds, whichever server answers."""

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import psycopg2
import pytest
import requests

from tests.admin_form import form_fields
from tests.conftest import image_bytes
from tests.servers import (
    collect_static,
    gunicorn_process,
    manage,
    moto_server,
    nginx_front,
    public_read,
)

pytestmark = pytest.mark.nginx

POSTGRES = "postgres://postgres@127.0.0.1:5432"
# A database of Redis's own for these servers' pages: other tests' sites
# never share their generation token.
REDIS_URL = "redis://127.0.0.1:6379/3"
BUCKET = "two-servers-media"
REGION = "eu-west-2"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
SLUG = "clinic-opening-hours"
PAGE = f"/articles/{SLUG}/"
PASSWORD = "two-servers-password"
SEED = f"""
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from articles.models import Article, Author, Status
User.objects.create_superuser("chief", "chief@example.org", {PASSWORD!r})
Article.objects.create(
    title="Clinic opening hours", slug={SLUG!r}, is_medical=False,
    summary="When the clinic is open over the holidays.",
    body="<p>The clinic keeps its usual hours.</p>",
    author=Author.objects.create(name="Sam Reyes", slug="sam-reyes"),
    status=Status.PUBLISHED, published_at=timezone.now() - timedelta(days=1),
)
"""


@pytest.fixture(scope="module")
def shared_database():
    """A PostgreSQL database of the test's own, dropped afterwards."""
    name = f"blog_two_servers_{uuid.uuid4().hex[:8]}"
    server = psycopg2.connect(f"{POSTGRES}/postgres")
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield f"{POSTGRES}/{name}"
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        server.close()


@pytest.fixture(scope="module")
def bucket(tmp_path_factory):
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name=REGION, **lower(CREDENTIALS)
        )
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        s3.put_bucket_policy(Bucket=BUCKET, Policy=public_read(BUCKET))
        yield endpoint


def lower(names):
    return {name.lower(): value for name, value in names.items()}


@dataclass
class Servers:
    first: int
    second: int
    front: int
    logs: list[Path]
    env: dict

    def run(self, code):
        """What ``code`` prints, run in a shell beside the servers."""
        return manage("shell", "--no-imports", "-c", code, **self.env).stdout.strip()

    def article_id(self):
        return self.run(
            f"from articles.models import Article; "
            f"print(Article.objects.get(slug={SLUG!r}).pk)"
        )


@pytest.fixture(scope="module")
def servers(nginx, shared_database, bucket, tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    env = CREDENTIALS | {
        "DATABASE_URL": shared_database,
        "REDIS_URL": REDIS_URL,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": bucket,
        "AWS_S3_REGION_NAME": REGION,
        "MEDIA_URL": f"{bucket}/{BUCKET}/",
        "STATIC_ROOT": str(collect_static(folder / "static")),
        # Which server answered what: "<method> <path> <status>" per request.
        "GUNICORN_CMD_ARGS": "--access-logformat '%(m)s %(U)s %(s)s'",
    }
    manage("migrate", "--noinput", **env)
    manage("shell", "--no-imports", "-c", SEED, **env)
    logs = [folder / "first.log", folder / "second.log"]
    with (
        gunicorn_process(logs[0], **env) as (first, _),
        gunicorn_process(logs[1], **env) as (second, _),
        nginx_front(
            nginx, folder / "nginx", [first, second], env["STATIC_ROOT"], folder
        ) as front,
    ):
        yield Servers(first, second, front, logs, env)


def address(port, path="/"):
    return f"http://127.0.0.1:{port}{path}"


def signed_in(port):
    """A browser's session with the admin at ``port``, signed in through its
    login form: the CSRF cookie, the form's token, and the Origin header a
    browser sends with a form."""
    browser = requests.Session()
    browser.headers["Origin"] = address(port, "")
    login = address(port, "/admin/login/")
    page = browser.get(login, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    response = browser.post(
        login,
        {"csrfmiddlewaretoken": token, "username": "chief", "password": PASSWORD},
        headers={"Referer": login},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return browser


def answered(log, method, path, status):
    return f"{method} {path} {status}" in log.read_text().splitlines()


def test_an_edit_published_through_one_server_is_served_by_the_other(servers):
    first, second = servers.first, servers.second
    # Both servers have the article and the home page in the shared cache.
    for port in (first, second, first, second):
        assert "Clinic opening hours" in requests.get(address(port, PAGE)).text
        assert "Clinic opening hours" in requests.get(address(port)).text

    editor = signed_in(first)
    add_image = address(first, "/admin/images/image/add/")
    form = form_fields(editor.get(add_image, timeout=10).text, "image_form")
    uploaded = editor.post(
        add_image,
        form | {"alt_text": "The clinic's front door in winter", "credit": "Sam Reyes"},
        files={"file": ("door.jpg", image_bytes((1200, 800)), "image/jpeg")},
        allow_redirects=False,
        timeout=30,
    )
    assert uploaded.status_code == 302, uploaded.text
    image_id = servers.run(
        "from articles.images.models import Image; print(Image.objects.get().pk)"
    )

    change = address(first, f"/admin/articles/article/{servers.article_id()}/change/")
    form = form_fields(editor.get(change, timeout=10).text)
    saved = editor.post(
        change,
        form
        | {"title": "Clinic opening hours this winter", "featured_image": image_id},
        headers={"Referer": change},
        allow_redirects=False,
        timeout=30,
    )
    assert saved.status_code == 302, saved.text

    page = requests.get(address(second, PAGE), timeout=10).text
    assert "Clinic opening hours this winter" in page
    assert "Clinic opening hours this winter" in requests.get(address(second)).text
    # The image the first server stored is in the bucket, linked from the
    # second server's page.
    sources = re.findall(r'<img[^>]* src="([^"]+)"', page)
    assert sources
    assert all(source.startswith(servers.env["MEDIA_URL"]) for source in sources)
    image = requests.get(sources[0], timeout=10)
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/jpeg"


def test_an_editor_signed_in_through_nginx_works_on_both_servers(servers):
    front, logs = servers.front, servers.logs
    editor = signed_in(front)
    listing = "/admin/articles/article/"
    for _ in range(4):
        page = editor.get(address(front, listing), timeout=10)
        assert page.status_code == 200
        assert "Select article to change" in page.text
    # nginx shares the requests out: each server found the session.
    assert all(answered(log, "GET", listing, 200) for log in logs)

    # A form fetched from one server and posted to the other, and back: the
    # token holds. (nginx takes the servers in turn: one more request between
    # the two saves swaps them.)
    change_path = f"/admin/articles/article/{servers.article_id()}/change/"
    change = address(front, change_path)
    for summary in ("When the clinic is open.", "When it is open, and who to call."):
        form = form_fields(editor.get(change, timeout=10).text)
        saved = editor.post(
            change,
            form | {"summary": summary},
            headers={"Referer": change},
            allow_redirects=False,
            timeout=30,
        )
        assert saved.status_code == 302, saved.text
        editor.get(address(front, listing), timeout=10)
    assert "When it is open, and who to call." in servers.run(
        "from articles.models import Article; "
        f"print(Article.objects.get(slug={SLUG!r}).summary)"
    )
    assert all(answered(log, "POST", change_path, 302) for log in logs)
    assert all(answered(log, "GET", change_path, 200) for log in logs)
