"""The suite itself: tests that need no browser run where Playwright is not
installed (a contributor checking one model, a minimal CI image)."""

import os
import subprocess
import sys

from django.conf import settings


def test_tests_without_a_browser_run_without_playwright(tmp_path):
    # A "playwright" package that cannot be imported shadows the real one.
    (tmp_path / "playwright").mkdir()
    (tmp_path / "playwright" / "__init__.py").write_text(
        "raise ImportError('Playwright is not installed')\n"
    )
    # On SQLite, in memory: a second test database beside the running
    # suite's PostgreSQL one would collide with it.
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_models.py::test_published_includes_past_articles",
        ],
        cwd=settings.BASE_DIR,
        env=env | {"PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
