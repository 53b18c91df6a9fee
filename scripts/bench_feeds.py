"""How much a feed costs next to an article page: queries, and requests a second.

Run with `make bench` (under a minute). The demo content plus 20 copies of its
live articles, so the feeds are full (20 items):
- queries per request, counted in this process on a database of its own;
- requests a second over HTTP on 127.0.0.1, against the demo site under
  gunicorn (2 workers), for the article page, /feed/ and a /feed/ poll that
  changed nothing (If-None-Match: a 304), each as a ratio to the article page.

Loads are bounded: REQUESTS per URL from THREADS client threads, and at most
SECONDS per URL, whichever ends first.
"""

import http.client
import itertools
import os
import re
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
from serve_demo import demo_server  # noqa: E402

PORT = 8124
COPIES = 20
REQUESTS = 300
THREADS = 4
SECONDS = 10
ADD_COPIES = [
    "shell",
    "--verbosity=0",
    "-c",
    f"import sys; sys.path.insert(0, 'scripts'); "
    f"from bench_feeds import add_copies; add_copies({COPIES})",
]


def add_copies(count):
    """Copy the live articles (topics, tags, references and all) until the site
    has ``count`` more of them, each a minute older than the last."""
    from articles.models import Article

    originals = list(
        Article.objects.published().prefetch_related("topics", "tags", "references")
    )
    for n, original in zip(range(count), itertools.cycle(originals), strict=False):
        topics, tags = list(original.topics.all()), list(original.tags.all())
        references = list(original.references.all())
        copy = Article.objects.get(pk=original.pk)
        copy.pk = None
        copy.uuid = uuid.uuid4()
        copy.slug = f"{original.slug}-copy-{n}"
        copy.published_at = original.published_at - timedelta(minutes=n + 1)
        copy.save()
        copy.topics.set(topics)
        copy.tags.set(tags)
        for reference in references:
            reference.pk = None
            reference.article = copy
            reference.save()


def count_queries():
    """Queries per request, in this process, on a demo database of its own."""
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    django.setup()
    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    add_copies(COPIES)
    article = Article.objects.published().first()
    client = Client(HTTP_HOST="127.0.0.1")
    etag = client.get("/feed/")["ETag"]
    requests = {
        "article page": (article.get_absolute_url(), {}),
        "/feed/": ("/feed/", {}),
        "/feed.json": ("/feed.json", {}),
        "topic feed": (article.topics.first().get_absolute_url() + "feed/", {}),
        "/feed/ unchanged (304)": ("/feed/", {"if-none-match": etag}),
    }
    counts = {}
    for name, (path, headers) in requests.items():
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path, headers=headers).status_code
        counts[name] = (len(queries), status)
    return counts


def rate(base_url, path, headers, expect):
    """Requests a second for one URL, and how many were made."""
    parts = urlsplit(base_url)
    counter = itertools.count()
    deadline = time.monotonic() + SECONDS

    def worker():
        done = 0
        while next(counter) < REQUESTS and time.monotonic() < deadline:
            connection = http.client.HTTPConnection(parts.hostname, parts.port)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status == expect, (path, response.status)
            done += 1
        return done

    worker_count = min(THREADS, REQUESTS)
    started = time.monotonic()
    with ThreadPoolExecutor(worker_count) as pool:
        done = sum(pool.map(lambda _: worker(), range(worker_count)))
    return done / (time.monotonic() - started), done


def fetch(base_url, path, headers=None):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def first_article_path(base_url):
    _, home = fetch(base_url, "/")
    return re.search(r'href="(/articles/[^"]+/)"', home.decode())[1]


def main():
    with (
        tempfile.TemporaryDirectory() as scratch,
        demo_server(port=PORT, extra_commands=[ADD_COPIES]) as base_url,
    ):
        # After the server's collectstatic, which the pages' static tags need.
        os.environ.update(
            DJANGO_SETTINGS_MODULE="blog.settings",
            DATABASE_URL=f"sqlite:///{scratch}/bench.sqlite3",
            MEDIA_ROOT=f"{scratch}/media",
            SITE_URL=base_url,
            DJANGO_DEBUG="",
        )
        counts = count_queries()
        etag = fetch(base_url, "/feed/")[0].getheader("ETag")
        loads = {
            "article page": (first_article_path(base_url), {}, 200),
            "/feed/": ("/feed/", {}, 200),
            "/feed/ unchanged (304)": ("/feed/", {"If-None-Match": etag}, 304),
        }
        for path, headers, _ in loads.values():  # Warm up both workers.
            for _ in range(4):
                fetch(base_url, path, headers)
        rates = {name: rate(base_url, *load) for name, load in loads.items()}

    print(f"Feeds hold 20 items; the demo site has {COPIES} extra live articles.\n")
    print("Queries per request (in process):")
    for name, (queries, status) in counts.items():
        noun = "query" if queries == 1 else "queries"
        print(f"  {name:<26} {queries:>3} {noun:<7}  (HTTP {status})")
    print(
        f"\nRequests per second over HTTP (gunicorn, 2 workers; {THREADS} client "
        f"threads; at most {REQUESTS} requests or {SECONDS} s each):"
    )
    baseline = rates["article page"][0]
    for name, (per_second, done) in rates.items():
        print(
            f"  {name:<26} {per_second:>7.1f}/s  {per_second / baseline:>5.2f}× "
            f"the article page  ({done} requests)"
        )


if __name__ == "__main__":
    main()
