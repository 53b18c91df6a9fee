"""What reader pages cost at 1,000 and at 100,000 articles, page cache off.

    createdb -h 127.0.0.1 -U postgres bench_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale \\
        .venv/bin/python scripts/bench_scale.py
    dropdb -h 127.0.0.1 -U postgres bench_scale

(`make bench-scale` does all three; about 20 minutes, most of it generating
articles.) The database is migrated and filled with generate_articles up to
each size. The same pages are then fetched in-process through Django's test
client (the whole middleware and template stack, no network), with the page
cache off so that every request is rendered: the queries of one request, and
the median and 95th percentile of REQUESTS requests after a warm-up. The
article is the same one at both sizes. The script prints a table and the
ratio of the medians, which the speed issue wants under 1.5.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings")
os.environ["DJANGO_DEBUG"] = ""
os.environ["PAGE_CACHE"] = "off"
# Pages served with DEBUG off name the hashed files of collectstatic's manifest.
STATIC_ROOT = tempfile.TemporaryDirectory(prefix="bench-scale-static-")
os.environ["STATIC_ROOT"] = STATIC_ROOT.name

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Topic  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
REQUESTS = 30
WARM_UP = 3


def fill_to(size):
    missing = size - Article.objects.count()
    if missing > 0:
        call_command(
            "generate_articles",
            "--count",
            str(missing),
            "--batch-size",
            "2000",
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load on a real site: fresh
        # statistics for the planner, and the visibility map that lets a
        # count read an index alone. Measured before it, the plans are those
        # of a table PostgreSQL has not looked at yet.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def pages():
    article = Article.objects.published().order_by("pk").first()
    topic = Topic.objects.order_by("pk").first()
    return {
        "article": article.get_absolute_url(),
        "home": "/",
        "topic": topic.get_absolute_url(),
        "feed": "/feed/",
        "sitemap index": "/sitemap.xml",
    }


def measure(client, path):
    for _ in range(WARM_UP):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    # Counted as they run: the test client's request_started signal empties
    # connection.queries.
    queries = []
    with connection.execute_wrapper(
        lambda execute, *args: queries.append(1) or execute(*args)
    ):
        client.get(path)
    seconds = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path)
        seconds.append(time.perf_counter() - started)
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
    return len(queries), statistics.median(ms), p95


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for size in SIZES:
        began = time.monotonic()
        fill_to(size)
        print(f"{size:,} articles (filled in {time.monotonic() - began:.0f} s)")
        for name, path in pages().items():
            results[name, size] = measure(client, path)
    print(f"\n{connection.vendor}, page cache off, {REQUESTS} requests per page")
    if len(SIZES) != 2:
        for name in pages():
            print(name, [results[name, size] for size in SIZES])
        return
    small, large = SIZES
    print(f"{'page':<14} {'queries':>9} {'median ms':>19} {'p95 ms':>19} {'ratio':>6}")
    for name in pages():
        (q1, m1, p1), (q2, m2, p2) = results[name, small], results[name, large]
        print(
            f"{name:<14} {q1:>4} {q2:>4} {m1:>9.1f} {m2:>9.1f} "
            f"{p1:>9.1f} {p2:>9.1f} {m2 / m1:>6.2f}"
        )
    print(f"(each column: at {small:,} then at {large:,} articles)")


if __name__ == "__main__":
    main()
