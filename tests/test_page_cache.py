"""The page cache (articles/page_cache.py): readers are answered from it, and
never with a page older than the content."""

import http.client
import os
import subprocess
import sys
import threading
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import page_cache, workflow
from articles.images.models import Image, Rendition
from articles.models import (
    Article,
    Author,
    ChangeNote,
    MedicalReview,
    PendingChange,
    Reference,
    SlugRedirect,
    Status,
    Tag,
    Topic,
)
from articles.pages.models import Page
from tests.conftest import T0
from tests.servers import ROOT, free_port, gunicorn, site_environment
from tests.test_settings import run_manage

REDIS_URL = "redis://127.0.0.1:6379/0"
MISSING_REDIS = (
    "No Redis on 127.0.0.1:6379: the page cache's Redis tests did not run; "
    "install Debian's redis-server and start it."
)


@pytest.fixture(params=["files", "redis"])
def backend(request, settings, tmp_path):
    """The page cache in files (the default) or in Redis (REDIS_URL), each
    empty: Redis keys get a prefix of their own, removed afterwards."""
    if request.param == "files":
        yield request.param
        return
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_REDIS)
        pytest.skip(MISSING_REDIS)
    prefix = f"test-page-cache-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    try:
        yield request.param
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


@pytest.fixture
def article(make_full_article):
    return make_full_article()


@pytest.fixture
def site_page(db):
    return Page.objects.create(
        title="About this site",
        slug="about",
        body="<p>Who we are.</p>",
        is_published=True,
    )


def served_from_cache(client, url, django_assert_num_queries, **kwargs):
    with django_assert_num_queries(0):
        return client.get(url, **kwargs)


def rendered(client, url):
    """Whether the page was made again, from the database."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) > 0


def text(response):
    assert response.status_code == 200
    return response.content.decode()


# Each content change a reader can see: (what to change, which page shows it,
# what the page then says).
def edit_article(article):
    article.title = "Treatment after a second relapse"
    article.save()
    return article.get_absolute_url(), "Treatment after a second relapse"


def update_article_in_bulk(article):
    # QuerySet.update() sends no model signals.
    Article.objects.filter(pk=article.pk).update(summary="Why the next one differs.")
    return article.get_absolute_url(), "Why the next one differs."


def edit_reference(article):
    reference = article.references.get(position=1)
    reference.title = "Relapsed myeloma: the 2025 overview"
    reference.save()
    return article.get_absolute_url(), "Relapsed myeloma: the 2025 overview"


def delete_reference(article):
    article.references.get(position=2).delete()
    return article.get_absolute_url(), "Targeted drugs at relapse", False


def edit_image(article):
    image = article.featured_image
    image.alt_text = "Two chairs by a window in a clinic"
    image.save()
    return article.get_absolute_url(), "Two chairs by a window in a clinic"


def remake_renditions(article):
    image = article.featured_image
    image.make_renditions()
    return article.get_absolute_url(), image.renditions.first().file.url


def rename_topic(article):
    topic = article.topics.get()
    topic.name = "Relapsed and refractory myeloma"
    topic.save()
    return article.get_absolute_url(), "Relapsed and refractory myeloma"


def add_topic(article):
    article.topics.add(Topic.objects.create(name="Living well", slug="living-well"))
    return article.get_absolute_url(), "Living well"


def rename_tag(article):
    article.tags.update(name="After treatment")
    return article.get_absolute_url(), "After treatment"


def rename_author(article):
    author = article.author
    author.name = "Dana Whitfield-Okafor"
    author.save()
    return article.get_absolute_url(), "Dana Whitfield-Okafor"


def record_review(article):
    reviewer = Author.objects.create(
        name="Priya Raman", slug="priya-raman", credentials="MD"
    )
    MedicalReview.objects.create(article=article, reviewer=reviewer)
    return article.get_absolute_url(), "Medically reviewed by"


def add_change_note(article):
    ChangeNote.objects.create(article=article, note="Corrected the dose of a drug.")
    return article.get_absolute_url(), "Corrected the dose of a drug."


def move_in_workflow(article):
    editor = User.objects.create_superuser("chief-editor", password="pw")
    workflow.move(article, "unpublish", editor)
    return reverse("articles:list"), article.title, False


def edit_site_page(article):
    page = Page.objects.get(slug="about")
    page.title = "Who runs this site"
    page.save()
    return article.get_absolute_url(), "Who runs this site"


CHANGES = [
    edit_article,
    update_article_in_bulk,
    edit_reference,
    delete_reference,
    edit_image,
    remake_renditions,
    rename_topic,
    add_topic,
    rename_tag,
    rename_author,
    record_review,
    add_change_note,
    move_in_workflow,
    edit_site_page,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_reaches_the_next_reader(
    client, backend, article, site_page, change, django_assert_num_queries
):
    pages = [article.get_absolute_url(), reverse("articles:list")]
    for url in pages:
        client.get(url)
        served_from_cache(client, url, django_assert_num_queries)

    url, says, shown = (*change(article), True)[:3]

    assert (says in text(client.get(url))) is shown


# What each content model is, to a reader: a write to any of them, of any
# kind, starts a new generation of pages.
WATCHED = {
    "article": lambda a: Article.objects.filter(pk=a.pk).update(title="New"),
    "reference": lambda a: Reference.objects.filter(article=a).update(title="New"),
    "image": lambda a: Image.objects.filter(pk=a.featured_image_id).update(
        credit="New"
    ),
    "rendition": lambda a: Rendition.objects.filter(image=a.featured_image).delete(),
    "topic": lambda a: Topic.objects.update(name="New"),
    "tag": lambda a: Tag.objects.update(name="New"),
    "article's topics": lambda a: a.topics.clear(),
    "article's tags": lambda a: a.tags.clear(),
    "author": lambda a: Author.objects.update(name="New"),
    "medical review": lambda a: MedicalReview.objects.create(
        article=a, reviewer=a.author
    ),
    "change note": lambda a: ChangeNote.objects.create(article=a, note="New"),
    "slug redirect": lambda a: SlugRedirect.objects.create(article=a, old_slug="old"),
    "pending change": lambda a: PendingChange.objects.create(article=a, content={}),
    "site page": lambda a: Page.objects.update(title="New"),
}


@pytest.mark.parametrize("write", WATCHED.values(), ids=WATCHED.keys())
def test_every_kind_of_content_write_drops_the_stored_pages(
    client, article, site_page, write, django_assert_num_queries
):
    url = article.get_absolute_url()
    client.get(url)
    served_from_cache(client, url, django_assert_num_queries)
    write(article)
    assert rendered(client, url)


def test_a_write_to_other_tables_keeps_the_pages(
    client, article, django_assert_num_queries, make_user
):
    url = article.get_absolute_url()
    client.get(url)
    make_user("Editors")
    served_from_cache(client, url, django_assert_num_queries)


@pytest.mark.django_db(transaction=True)
def test_a_change_drops_the_pages_again_when_it_commits(make_article):
    """Pages rendered by other workers from the old rows while the change was
    not yet committed are dropped too."""
    article = make_article()
    caches = page_cache.caches[page_cache.ALIAS]
    with transaction.atomic():
        article.title = "Corrected"
        article.save()
        while_writing = page_cache.generation(caches)
    assert page_cache.generation(caches) != while_writing


@pytest.mark.django_db(transaction=True)
def test_a_write_from_another_thread_reaches_readers(client, make_article):
    """gunicorn's threads each have their own database connection."""
    article = make_article(title="Before the correction")
    url = article.get_absolute_url()
    client.get(url)

    def correct():
        try:
            Article.objects.filter(pk=article.pk).update(title="After the correction")
        finally:
            connections.close_all()

    editor = threading.Thread(target=correct)
    editor.start()
    editor.join()
    assert "After the correction" in text(client.get(url))


def test_scheduled_article_appears_on_the_first_request_after_its_time(
    client, backend, clock, make_article, django_assert_num_queries
):
    make_article(title="Already out", published_at=T0 - timedelta(days=1))
    make_article(title="Out at eleven", published_at=T0 + timedelta(seconds=90))
    home = reverse("articles:list")
    assert "Out at eleven" not in text(client.get(home))
    clock.move_to(T0 + timedelta(seconds=89))
    assert "Out at eleven" not in text(
        served_from_cache(client, home, django_assert_num_queries)
    )
    clock.move_to(T0 + timedelta(seconds=90))
    assert "Out at eleven" in text(client.get(home))


def test_expiring_article_leaves_on_the_first_request_after_its_time(
    client, backend, clock, make_article
):
    article = make_article(
        title="A trial now closed",
        published_at=T0 - timedelta(days=1),
        expire_at=T0 + timedelta(minutes=5),
    )
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "A trial now closed" in text(client.get("/"))
    clock.move_to(T0 + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "A trial now closed" not in text(client.get("/"))


def test_a_draft_does_not_shorten_the_time_pages_are_kept(client, clock, make_article):
    make_article()
    make_article(status=Status.DRAFT, published_at=T0 + timedelta(seconds=30))
    assert cache_control(client.get("/"))["s-maxage"] == "60"


def cache_control(response):
    parts = (part.strip() for part in response["Cache-Control"].split(","))
    return dict(part.partition("=")[::2] for part in parts)


def test_shared_caches_may_keep_a_page_briefly(client, make_article):
    response = client.get(make_article().get_absolute_url())
    assert cache_control(response) == {
        "public": "",
        "max-age": "0",
        "s-maxage": "60",
        "stale-while-revalidate": "30",
    }


def test_shared_caches_keep_no_page_past_the_next_publish(
    client, clock, make_article, django_assert_num_queries
):
    article = make_article(published_at=T0 - timedelta(days=1))
    make_article(published_at=T0 + timedelta(seconds=75))
    assert cache_control(client.get(article.get_absolute_url())) == {
        "public": "",
        "max-age": "0",
        "s-maxage": "60",
        "stale-while-revalidate": "15",
    }
    clock.move_to(T0 + timedelta(seconds=50))
    kept = served_from_cache(
        client, article.get_absolute_url(), django_assert_num_queries
    )
    assert cache_control(kept)["s-maxage"] == "25"
    assert cache_control(kept)["stale-while-revalidate"] == "0"


def test_feeds_keep_their_own_max_age(client, make_article):
    make_article()
    assert cache_control(client.get("/feed/"))["max-age"] == "300"
    assert cache_control(client.get("/feed/"))["s-maxage"] == "60"


READER_PAGES = [
    "home",
    "article",
    "topic",
    "topics",
    "tag",
    "author",
    "archive",
    "archive month",
    "site page",
    "updated article",
]
MORE_READER_ADDRESSES = [
    "/feed/",
    "/feed/atom/",
    "/feed.json",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("name", READER_PAGES + MORE_READER_ADDRESSES)
def test_a_stored_page_is_served_without_a_query_or_a_cookie(
    client, reader_pages, name, django_assert_num_queries
):
    url = reader_pages.get(name, name)
    first = client.get(url)
    again = served_from_cache(client, url, django_assert_num_queries)
    assert again.status_code == 200
    assert again.content == first.content
    assert first.cookies == again.cookies == {}
    assert "Set-Cookie" not in again


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/feed/json/", "/"])
def test_a_page_is_sent_in_one_piece(client, make_article, settings, url):
    """A WSGI server sends each piece of a response with a call of its own."""
    make_article()
    settings.PAGE_CACHE = False
    assert len(list(client.get(url))) == 1
    settings.PAGE_CACHE = True
    client.get(url)
    assert len(list(client.get(url))) == 1


def test_recent_pages_keep_the_latest_within_their_limit():
    recent = page_cache.RecentPages(limit=2500)
    page = b"x" * 1000
    for key in ("a", "b", "c"):
        recent.get("token", key)
        recent.put("token", key, page)
    assert recent.get("token", "a") is None
    assert recent.get("token", "b") == recent.get("token", "c") == page
    recent.put("token", "huge", b"x" * 3000)
    assert recent.get("token", "huge") is None


def test_a_new_generation_empties_recent_pages():
    recent = page_cache.RecentPages(limit=10_000)
    recent.get("first", "page")
    recent.put("first", "page", b"<p>before</p>")
    assert recent.get("first", "page") == b"<p>before</p>"
    assert recent.get("second", "page") is None
    # A page filled under the old token after the new one was seen is not kept.
    recent.put("first", "page", b"<p>before</p>")
    assert recent.get("first", "page") is None


def test_a_stored_page_keeps_its_security_headers(
    client, make_article, django_assert_num_queries
):
    url = make_article().get_absolute_url()
    client.get(url)
    again = served_from_cache(client, url, django_assert_num_queries)
    assert "script-src 'none'" in again["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"
    assert again["X-Content-Type-Options"] == "nosniff"


def test_head_is_answered_from_the_stored_page(
    client, make_article, django_assert_num_queries
):
    url = make_article().get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize(
    "query",
    ["?q=relapse", "?utm_source=newsletter", "?page=2&sort=old", "?page=1&page=2"],
)
def test_other_query_strings_bypass_the_cache(
    client, make_article, query, django_assert_num_queries
):
    for _ in range(11):
        make_article()
    url = "/" + query
    client.get(url)
    assert rendered(client, url)


def test_staff_are_never_answered_from_the_cache(
    client, make_article, make_user, django_assert_num_queries
):
    url = make_article().get_absolute_url()
    client.get(url)
    client.force_login(make_user("Editors"))
    assert rendered(client, url)


def test_what_staff_see_is_never_stored_for_readers(client, make_user):
    hidden = Page.objects.create(
        title="Privacy", slug="privacy", body="<p>Draft.</p>", is_published=False
    )
    client.force_login(make_user("Editors"))
    assert "Hidden: readers get" in text(client.get(hidden.get_absolute_url()))
    client.logout()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_session_cookie_alone_bypasses_the_cache(
    client, make_article, django_assert_num_queries
):
    url = make_article().get_absolute_url()
    client.get(url)
    client.cookies["sessionid"] = "no-such-session"
    assert rendered(client, url)


def test_pages_answer_conditional_requests_with_304(
    client, make_article, django_assert_num_queries
):
    article = make_article()
    url = article.get_absolute_url()
    first = client.get(url)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    with django_assert_num_queries(0):
        by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
        by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == by_date.content == b""
    assert by_etag["ETag"] == first["ETag"]

    article.title = "A corrected title"
    article.save()
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "A corrected title" in changed.content.decode()


def test_the_first_request_is_answered_304_too(client, make_article):
    url = make_article().get_absolute_url()
    etag = client.get(url)["ETag"]
    client.get("/")  # Another page; the article's stays stored.
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_with_the_cache_off_every_request_renders(
    client, settings, make_article, django_assert_num_queries
):
    settings.PAGE_CACHE = False
    url = make_article().get_absolute_url()
    client.get(url)
    assert rendered(client, url)
    assert "ETag" not in client.get(url)


def test_each_page_of_a_list_is_stored_by_its_number(
    client, make_article, django_assert_num_queries
):
    for n in range(11):
        make_article(title=f"Article number {n}")
    first, second = client.get("/"), client.get("/?page=2")
    assert "Article number 0" in text(second)
    assert "Article number 0" not in text(first)
    again = served_from_cache(client, "/?page=2", django_assert_num_queries)
    assert again.content == second.content


def new_article(slug):
    """A shell command that publishes an article, through the models."""
    return (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from articles.models import Article, Status\n"
        f"Article.objects.create(title='{slug}', slug='{slug}', summary='s',"
        " body='<p>b</p>', status=Status.PUBLISHED,"
        " published_at=timezone.now() - timedelta(minutes=1))\n"
    )


def run_in_site(env, code):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--command", code],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SECRET_KEY": "serving-test"} | env,
        check=True,
    )


def fetch(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200
        return response.read().decode()
    finally:
        connection.close()


def workers_that_answered(log, path, after_line=0):
    """The process ids of the workers that answered ``path``, from gunicorn's
    access log (logged as "<pid> GET path HTTP/1.1 200")."""
    lines = log.read_text().splitlines()[after_line:]
    return {line.split()[0] for line in lines if f" GET {path} " in line}


def test_a_change_reaches_readers_whichever_worker_answers(tmp_path):
    """`make run`'s two workers, one page cache in files: an article published
    from a shell is in the sitemap on the next request, whichever worker
    answers it, and whichever stored the page before."""
    env = site_environment(tmp_path) | {
        "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(r)s %(s)s'"
    }
    log = tmp_path / "gunicorn.log"
    url = "/sitemap-articles.xml"
    run_in_site(env, new_article("first-article"))
    with gunicorn(log, **env) as port:
        # Until both workers have answered, one of them from the page the
        # other stored.
        for _ in range(100):
            assert "first-article" in fetch(port, url)
            if len(workers_that_answered(log, url)) == 2:
                break
        run_in_site(env, new_article("second-article"))
        changed = len(log.read_text().splitlines())
        for _ in range(100):
            assert "second-article" in fetch(port, url)
            if len(workers_that_answered(log, url, changed)) == 2:
                break
    assert len(workers_that_answered(log, url)) == 2
    assert len(workers_that_answered(log, url, changed)) == 2


PRINT_PAGE_CACHE = (
    "from django.conf import settings; "
    "print(settings.PAGE_CACHE, settings.CACHES['pages']['BACKEND'])"
)


@pytest.mark.parametrize(
    ("env", "printed"),
    [
        ({}, "True django.core.cache.backends.filebased.FileBasedCache"),
        ({"PAGE_CACHE": "off"}, "False django.core.cache.backends.filebased"),
        ({"REDIS_URL": REDIS_URL}, "True django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_environment_chooses_where_pages_are_kept(env, printed):
    clean = {"PAGE_CACHE": "", "REDIS_URL": ""} | env
    result = run_manage("shell", "--no-imports", "-c", PRINT_PAGE_CACHE, **clean)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(printed)


def out_of_reach(settings, backend, tmp_path):
    """The page cache's settings with the cache cut off: Redis on a port where
    nothing listens, or files under a path that is a file."""
    pages = dict(settings.CACHES["pages"])
    if backend == "redis":
        pages["LOCATION"] = f"redis://127.0.0.1:{free_port()}/0"
    else:
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("")
        pages["LOCATION"] = str(blocked / "pages")
    return {**settings.CACHES, "pages": pages}


def test_readers_get_pages_while_the_cache_is_out_of_reach(
    client, backend, settings, tmp_path, make_article
):
    article = make_article(title="Questions to ask at clinic")
    settings.CACHES = out_of_reach(settings, backend, tmp_path)
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "Questions to ask at clinic" in response.content.decode()


def test_a_write_made_while_the_cache_is_out_of_reach_drops_pages_once_back(
    client, backend, settings, tmp_path, make_article
):
    article = make_article(title="Questions to ask at clinic")
    url = article.get_absolute_url()
    client.get(url)
    reachable = settings.CACHES
    settings.CACHES = out_of_reach(settings, backend, tmp_path)
    article.title = "Questions to ask at your first clinic visit"
    article.save()
    assert "first clinic visit" in client.get(url).content.decode()
    settings.CACHES = reachable
    assert "first clinic visit" in client.get(url).content.decode()
