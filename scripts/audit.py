"""Lighthouse (mobile settings) on the home page and an article; prints the scores.

Run with `make audit`. Needs npm (Lighthouse 12.2.3 is fetched by npx) and
Debian's Chromium at CHROME_PATH (default /usr/bin/chromium).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_demo import demo_server  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


def first_article_path(base_url):
    home = urllib.request.urlopen(base_url).read().decode()
    return re.search(r'href="(/articles/[^"]+/)"', home)[1]


def lighthouse(url, report):
    subprocess.run(
        [
            "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        env=os.environ
        | {"CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )
    results = json.loads(Path(report).read_text())
    return {
        name: round(results["categories"][name]["score"] * 100) for name in CATEGORIES
    }


def main():
    with demo_server() as base_url, tempfile.TemporaryDirectory() as scratch:
        pages = {
            "home": base_url + "/",
            "article": base_url + first_article_path(base_url),
        }
        for name, url in pages.items():
            scores = lighthouse(url, f"{scratch}/{name}.json")
            line = "  ".join(
                f"{category} {score}" for category, score in scores.items()
            )
            print(f"{name:8} {line}   ({url})")


if __name__ == "__main__":
    main()
