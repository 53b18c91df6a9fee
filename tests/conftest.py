import io
import itertools
import os
import shutil
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles.images.models import Image
from articles.models import Article, Author, Reference, Status, Topic
from articles.pages.models import Page, Purpose
from tests.servers import find_nginx

# manage.py and gunicorn, started by tests, must not read the developer's own
# .env (blog/env_file.py); a test that needs one names its own.
os.environ["DJANGO_ENV_FILE"] = ""

_ids = itertools.count()
# Where the clock fixture stops time: a Tuesday morning, well after any date
# the tests write by hand.
T0 = datetime(2030, 1, 1, 10, 0, tzinfo=UTC)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_NGINX = (
    "nginx not found: the tests of deploy/nginx.conf did not run; "
    "install Debian's nginx package (apt-get install nginx)."
)
MISSING_CHROMIUM = (
    "Chromium not found: browser tests did not run; "
    "install Debian's chromium package (apt-get install chromium)."
)


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres need PostgreSQL's full text search and triggers."""
    if connections["default"].vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://…"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PENDING_UPLOADS_ROOT = tmp_path / "pending-uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The demo goes into the test database on PostgreSQL (DATABASE_URL) too.
    settings.DEMO_CONTENT = True
    # The page cache stays on, so that every test of a reader page also checks
    # that what it changes reaches the page; each test gets an empty one.
    settings.PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "page-cache",
        },
    }
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def site_database_url(transactional_db, tmp_path):
    """A database that manage.py and gunicorn, run beside the test, share with
    it: on PostgreSQL the test database, its rows committed (and emptied after
    the test); on SQLite, whose test database lives in memory, a file of its
    own, not yet migrated."""
    database = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'site.sqlite3'}"
    login = database["USER"]
    if database["PASSWORD"]:
        login += f":{quote(database['PASSWORD'], safe='')}"
    return (
        f"postgres://{login}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )


@pytest.fixture
def page_cache_off(settings):
    """For tests that count what a view itself does, each time it is asked."""
    settings.PAGE_CACHE = False


@pytest.fixture
def clock(time_machine):
    """Time stopped at T0; tests move it on with clock.shift(…)."""
    time_machine.move_to(T0, tick=False)
    return time_machine


def image_bytes(size=(64, 48), image_format="JPEG", color=(30, 110, 140)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture
def make_image(db):
    def make(**fields):
        defaults = {
            "file": ContentFile(image_bytes(), name=f"photo-{next(_ids)}.jpg"),
            "alt_text": "A nurse talks with a patient in a clinic room",
            "credit": "Depositphotos / pressmaster",
        }
        return Image.objects.create(**defaults | fields)

    return make


@pytest.fixture
def make_article(db):
    def make(**fields):
        n = next(_ids)
        defaults = {
            "title": f"Living with myeloma, part {n}",
            "slug": f"living-with-myeloma-{n}",
            "summary": "What to expect in the months after treatment ends.",
            "body": "<p>Most people feel tired for a while.</p>",
            "status": Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(days=1),
        }
        return Article.objects.create(**defaults | fields)

    return make


@pytest.fixture
def make_reference(db):
    def make(article, **fields):
        defaults = {
            "title": f"Relapse and treatment choices {next(_ids)}",
            "publisher": "Blood",
            "url": "https://ashpublications.org/blood/article/example",
            "doi": "10.1182/blood.2020008805",
            "pubmed_id": "32649747",
        }
        return Reference.objects.create(article=article, **defaults | fields)

    return make


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Relapse", slug="relapse")


@pytest.fixture
def author(db):
    return Author.objects.create(
        name="Dana Whitfield", slug="dana-whitfield", credentials="RN, oncology nurse"
    )


def find_chromium():
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def shout(config, message):
    """Print past output capture, so a skipped browser test cannot go unnoticed."""
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if terminal is None or not hasattr(capture, "global_and_fixture_disabled"):
        return
    with capture.global_and_fixture_disabled():
        terminal.write_line("")
        terminal.write_line(f"!!! {message} !!!", red=True, bold=True)


@pytest.fixture(scope="module")
def nginx(request):
    """Debian's nginx, which CI installs: a test that needs it fails there
    without it, and elsewhere says loudly that it did not run."""
    executable = find_nginx()
    if executable is None:
        shout(request.config, MISSING_NGINX)
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_NGINX)
        pytest.skip(MISSING_NGINX)
    return executable


@pytest.fixture
def browser(request, monkeypatch):
    executable = find_chromium()
    if executable is None:
        shout(request.config, MISSING_CHROMIUM)
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    # Playwright's sync API runs an event loop in this thread, which makes Django
    # refuse ORM calls from the test unless told that this is deliberate.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Imported here, so tests that need no browser run without Playwright.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # While that loop runs, asgiref keeps Django's connections in
            # context-local storage, so the test's ORM calls used a connection of
            # their own. Close it before the loop stops and the connection becomes
            # unreachable: an open one stops PostgreSQL dropping the test database.
            connections.close_all()


@pytest.fixture
def reader_pages(db):
    """One page of each kind a reader visits, filled with the demo content."""
    call_command("load_demo_content")
    article = Article.objects.published().first()
    topic = article.topics.first()
    tag = article.tags.first()
    published = article.published_at
    return {
        "home": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "topics": reverse("articles:topics"),
        "tag": reverse("articles:tag", kwargs={"slug": tag.slug}),
        "author": reverse("articles:author", kwargs={"slug": article.author.slug}),
        "archive": reverse("articles:archive"),
        "archive month": reverse(
            "articles:archive_month",
            kwargs={"year": published.year, "month": published.month},
        ),
        "not found": "/no-such-page/",
        "search": reverse("articles:search") + "?q=relapse",
        "search, nothing found": reverse("articles:search") + "?q=zebrafish",
        "search, no query": reverse("articles:search"),
        "site page": Page.objects.get(
            purpose=Purpose.EDITORIAL_POLICY
        ).get_absolute_url(),
        "glossary": reverse("glossary:index"),
        "glossary term": reverse("glossary:term", kwargs={"slug": "remission"}),
        # With an "Updated" date and a "What changed" list.
        "updated article": Article.objects.published()
        .filter(change_notes__isnull=False)
        .get()
        .get_absolute_url(),
    }


def role_group(name):
    """The group of a role, as migration 0006 makes it. Live-server tests
    empty the database after they run, and only permissions come back."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        roles = import_module("articles.migrations.0006_roles").ROLES[name]
        codenames = [
            f"{action}_{model}"
            for model, actions in roles.items()
            for action in actions
        ]
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=("articles", "images"),
                codename__in=codenames,
            )
        )
    return group


@pytest.fixture
def make_user(db):
    """A staff user in one of the roles of migration 0005 ("Authors", "Medical
    reviewers", "Editors"), with an Author profile when given credentials."""

    def make(role, credentials=None, email=""):
        n = next(_ids)
        user = User.objects.create_user(
            f"user{n}", email=email, password="pw", is_staff=True
        )
        user.groups.add(role_group(role))
        if credentials is not None:
            Author.objects.create(
                user=user,
                name=f"Person {n}",
                slug=f"person-{n}",
                credentials=credentials,
            )
        return user

    return make


# One login in each role, with an author profile and an address for the
# workflow's emails.
@pytest.fixture
def writer(make_user):
    return make_user("Authors", credentials="Health writer", email="w@example.org")


@pytest.fixture
def editor(make_user):
    return make_user("Editors", credentials="Editor", email="ed@example.org")


@pytest.fixture
def reviewer(make_user):
    return make_user(
        "Medical reviewers", credentials="MD, haematologist", email="rev@example.org"
    )


@pytest.fixture
def make_full_article(make_article, make_image, make_reference, topic, author):
    """An article with everything a reader sees: image, author, dates, a topic,
    a tag and two references (a journal paper and a web page)."""

    def make(**fields):
        defaults = {
            "title": "Treatment after a myeloma relapse",
            "summary": "Why the next treatment depends on the last one.",
            "body": '<h2>Choices</h2><p>See <a href="https://www.themmrf.org/">'
            "the MMRF</a>.</p>",
            "published_at": datetime(2023, 5, 5, 14, 0, tzinfo=UTC),
            "updated_at": datetime(2024, 1, 9, 9, 0, tzinfo=UTC),
            "featured_image": make_image(caption="A clinic waiting room"),
            "author": author,
        }
        article = make_article(**defaults | fields)
        article.topics.add(topic)
        article.tags.create(name="Follow-up care", slug="follow-up-care")
        make_reference(article, title="Relapsed myeloma overview", position=1)
        make_reference(
            article,
            title="Targeted drugs at relapse",
            publisher="Multiple Myeloma Research Foundation",
            url="https://themmrf.org/relapse/",
            doi="",
            pubmed_id="",
            position=2,
        )
        return article

    return make


def signed_in_page(browser, live_server, username, password):
    """A new browser context, signed in to the admin as ``username``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    from playwright.sync_api import expect

    expect(page.locator("#user-tools")).to_contain_text(username, ignore_case=True)
    return page


@pytest.fixture
def link_check_settings(settings):
    """The link checker quick, and allowed to reach the servers on loopback."""
    settings.LINK_CHECK_PRIVATE_ADDRESSES = True
    settings.LINK_CHECK_TIMEOUT = 1
    settings.LINK_CHECK_RETRIES = 1
    settings.LINK_CHECK_BACKOFF = 0.01
    return settings


@pytest.fixture
def link_server(link_check_settings):
    """A server on loopback answering as live, moved and dead sources do."""
    from tests.link_server import LinkServer

    server = LinkServer()
    yield server
    server.stop()
