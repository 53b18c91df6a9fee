"""What a reader's page costs: queries, requests a second and latency.

Run with `make bench-pages` (about 2 minutes). The demo content plus 1,000
generated articles in a throwaway SQLite database, served by gunicorn as
`make run` serves it (deploy/gunicorn.conf.py, 2 workers) on 127.0.0.1:
- queries per request for the article page, the home page and /feed/,
  counted in this process with the page cache off;
- requests a second, p50 and p99 latency over HTTP for the same three pages,
  with the page cache on (as shipped) and off.

Each load is bounded: THREADS client threads for SECONDS per page, each
request on a new connection. The figures are for comparing runs on one
machine (and with Wagtail through ../shared/bench, see docs/benchmarks.md),
not absolute.
"""

import http.client
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
from bench_feeds import fetch, first_article_path  # noqa: E402
from serve_demo import demo_server  # noqa: E402

PORT = 8125
ARTICLES = 1000
THREADS = 8
SECONDS = 8
GENERATE = ["generate_articles", "--count", str(ARTICLES), "--batch-size", "500"]
# The environment switch that turns the page cache off (README, "Page cache").
CACHE_OFF = {"PAGE_CACHE": "off"}


def count_queries():
    """Queries per request with the page cache off, on a database of its own."""
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    django.setup()
    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command(*GENERATE, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    article = Article.objects.published().filter(slug__contains="myeloma").first()
    counts = {}
    for name, path in pages(article.get_absolute_url()).items():
        client.get(path)  # The first request fills per-process caches.
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        counts[name] = (len(queries), status)
    return counts


def pages(article_path):
    return {"article": article_path, "home": "/", "feed": "/feed/"}


def load(base_url, path):
    """Requests a second and latencies (seconds) for one page under load."""
    parts = urlsplit(base_url)
    deadline = time.monotonic() + SECONDS

    def worker():
        latencies = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(parts.hostname, parts.port)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status == 200, (path, response.status)
            latencies.append(time.perf_counter() - started)
        return latencies

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        latencies = [
            t for done in pool.map(lambda _: worker(), range(THREADS)) for t in done
        ]
    return len(latencies) / (time.monotonic() - started), latencies


def percentile(values, fraction):
    return statistics.quantiles(values, n=100, method="inclusive")[
        round(fraction * 100) - 1
    ]


def measure(env):
    with demo_server(port=PORT, extra_commands=[GENERATE], env=env) as base_url:
        paths = pages(first_article_path(base_url))
        for path in paths.values():  # Warm up both workers.
            for _ in range(6):
                fetch(base_url, path)
        return {name: load(base_url, path) for name, path in paths.items()}


def main():
    runs = {"cache on": measure({}), "cache off": measure(CACHE_OFF)}
    # After the servers' collectstatic, which the pages' static tags need.
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="blog.settings",
            DATABASE_URL=f"sqlite:///{scratch}/bench.sqlite3",
            MEDIA_ROOT=f"{scratch}/media",
            DJANGO_DEBUG="",
            **CACHE_OFF,
        )
        counts = count_queries()

    print(f"The demo site plus {ARTICLES:,} generated articles, SQLite.\n")
    print("Queries per request (in process, page cache off):")
    for name, (queries, status) in counts.items():
        print(f"  {name:<10} {queries:>3}  (HTTP {status})")
    print(
        f"\nOver HTTP (gunicorn as `make run` serves it; {THREADS} client threads, "
        f"{SECONDS} s a page, a new connection each request):"
    )
    print(f"  {'':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9}")
    for run, results in runs.items():
        for name, (per_second, latencies) in results.items():
            print(
                f"  {name + ', ' + run:<22} {per_second:>8.1f} "
                f"{percentile(latencies, 0.5) * 1000:>8.1f} "
                f"{percentile(latencies, 0.99) * 1000:>8.1f} {len(latencies):>9}"
            )


if __name__ == "__main__":
    main()
