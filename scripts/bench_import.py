"""How long `manage.py import_wordpress` takes for 2,000 posts, and its memory.

    .venv/bin/python scripts/bench_import.py      (or `make bench-import`)

Writes a WXR export of POSTS made-up posts (each a published post with a
category, a tag, a few paragraphs and two source links, one of them vague), then
imports it into a throwaway SQLite database (DATABASE_URL overrides) through
the command, as an operator runs it, and prints the wall time, the posts a
second, and the process's peak resident memory before and after the import.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTS = 2000

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>A bench blog</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:base_blog_url>https://bench.example</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[writer]]></wp:author_login>
<wp:author_display_name><![CDATA[A Bench Writer]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>treatment</wp:category_nicename>
<wp:cat_name><![CDATA[Treatment]]></wp:cat_name></wp:category>
"""
ITEM = """<item><title>Questions about treatment, part {n}</title>
<link>https://bench.example/2023/05/{day:02d}/questions-{n}/</link>
<dc:creator><![CDATA[writer]]></dc:creator>
<guid isPermaLink="false">https://bench.example/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[What to ask, part {n}.]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date>2023-05-{day:02d} 09:00:00</wp:post_date>
<wp:post_date_gmt>2023-05-{day:02d} 09:00:00</wp:post_date_gmt>
<wp:post_name>questions-{n}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="treatment"><![CDATA[Treatment]]></category>
<category domain="post_tag" nicename="clinic"><![CDATA[Clinic]]></category>
</item>
"""
BODY = (
    "<!-- wp:paragraph --><p>Ask the team how each choice fits your life. "
    'The <a href="https://journal.example/study-{n}">trial report</a> has the '
    "details.</p><!-- /wp:paragraph -->\n"
    "<!-- wp:paragraph --><p>Read more about side effects "
    '<a href="https://charity.example/side-effects">by clicking here</a>.</p>'
    "<!-- /wp:paragraph -->\n"
) + "<!-- wp:paragraph --><p>Write your questions down before you go.</p>" * 6


def write_export(path):
    with path.open("w") as out:
        out.write(HEAD)
        for n in range(1, POSTS + 1):
            out.write(ITEM.format(n=n, day=n % 28 + 1, body=BODY.format(n=n)))
        out.write("</channel></rss>")


def main():
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        folder = Path(folder)
        export = folder / "export.xml"
        write_export(export)
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "blog.settings",
            "DJANGO_SECRET_KEY": "bench-import",
            "DJANGO_ENV_FILE": "",
            "PAGE_CACHE_DIR": str(folder / "page-cache"),
            "MEDIA_ROOT": str(folder / "media"),
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'db.sqlite3'}")
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        started = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = subprocess.run(
            [*manage, "import_wordpress", str(export)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if result.returncode != 0:
            sys.exit(result.stderr)
        print(result.stdout.strip().splitlines()[-1] if result.stdout else "")
        print(
            f"{POSTS:,} posts, {export.stat().st_size / 1e6:.1f} MB export: "
            f"{seconds:.1f} s ({POSTS / seconds:.0f} posts a second); peak memory "
            f"{peak / 1024:.0f} MB (migrate before it: {before / 1024:.0f} MB)"
        )


if __name__ == "__main__":
    main()
