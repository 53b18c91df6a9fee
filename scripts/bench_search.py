"""Latency of the search page at 1,000 and 50,000 articles, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
        .venv/bin/python scripts/bench_search.py
    dropdb -h 127.0.0.1 -U postgres bench_search

(`make bench-search` does all three.) The database is migrated and filled with
generate_articles up to each size. Each query is fetched REQUESTS times after
a warm-up, in-process through Django's test client (the whole middleware and
template stack, no network) and over HTTP from gunicorn on 127.0.0.1, one
request at a time; the script prints the median and 95th percentile, the
machine it ran on and an EXPLAIN of the rare-term search.
"""

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings")
os.environ["DJANGO_DEBUG"] = ""

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from serve_demo import wait_until_up  # noqa: E402

from articles import search  # noqa: E402
from articles.management.made_up_text import RARE_TERM  # noqa: E402
from articles.models import Article  # noqa: E402

QUERIES = {
    "rare term": RARE_TERM,
    "common term": "treatment",
    "phrase": '"stem cell transplant"',
    "misspelling": "myelomma",
}


def percentiles(seconds):
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
    return statistics.median(ms), p95


def timed(fetch, requests):
    for _ in range(3):
        fetch()
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        fetch()
        times.append(time.perf_counter() - began)
    return percentiles(times)


def in_process(query, requests):
    client = Client(HTTP_HOST="127.0.0.1")

    def fetch():
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, response.status_code

    return timed(fetch, requests)


def over_http(base_url, query, requests):
    url = f"{base_url}/search/?{urllib.parse.urlencode({'q': query})}"

    def fetch():
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()

    return timed(fetch, requests)


def fill_to(size):
    missing = size - Article.objects.count()
    if missing > 0:
        began = time.monotonic()
        call_command("generate_articles", count=missing, stdout=io.StringIO())
        print(f"Generated {missing:,} articles in {time.monotonic() - began:.0f} s")
    # What autovacuum would do after a bulk load, done now so that the first
    # measurements do not pay for it.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")


def gunicorn(port):
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "blog.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ | {"DJANGO_DEBUG": ""},
    )


def explain(query):
    """The plan of the query that finds and ranks the first page's articles."""
    with search.backend().planned():
        ids = search.backend().paginator(Article.objects.published(), query, 10)
        return ids.object_list[:10].explain(analyze=True)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return (
        f"{date.today().isoformat()}: {os.cpu_count()} CPUs ({cpu}), "
        f"{memory_kb / 1024 / 1024:.0f} GiB memory, PostgreSQL {pg_version} "
        f"(shared_buffers {shared_buffers}), Python {platform.python_version()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--port", type=int, default=8124)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")

    call_command("migrate", verbosity=0)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        check=True,
    )
    print(machine())
    rows = []
    for size in options.sizes:
        fill_to(size)
        # Other work on the machine skews the figures: say how busy it was.
        print(f"{size:,} articles; load average {os.getloadavg()[0]:.2f}", flush=True)
        server = gunicorn(options.port)
        base_url = f"http://127.0.0.1:{options.port}"
        try:
            wait_until_up(base_url)
            for name, query in QUERIES.items():
                found = search.search(query).count
                local = in_process(query, options.requests)
                http = over_http(base_url, query, options.requests)
                rows.append((size, name, query, found, *local, *http))
                print(
                    f"{size:>6,} {name:<12} {query:<24} {found:>6,} found  "
                    f"in-process {local[0]:6.1f} / {local[1]:6.1f} ms  "
                    f"HTTP {http[0]:6.1f} / {http[1]:6.1f} ms  (median / p95)",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"Load average after: {os.getloadavg()[0]:.2f}", flush=True)

    print(
        "\n| Articles | Query | Found | In-process median | p95 | HTTP median | p95 |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size, name, query, found, l50, l95, h50, h95 in rows:
        print(
            f"| {size:,} | {name}: `{query}` | {found:,} "
            f"| {l50:.1f} ms | {l95:.1f} ms | {h50:.1f} ms | {h95:.1f} ms |"
        )
    for name in ["rare term", "common term"]:
        print(f"\nEXPLAIN ANALYZE, first page of the {name} ({QUERIES[name]}):\n")
        print(explain(QUERIES[name]))


if __name__ == "__main__":
    main()
