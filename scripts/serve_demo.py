"""Serve the demo site under gunicorn on 127.0.0.1, in a throwaway database.

Used by the audit and benchmark scripts: `with demo_server() as url: ...`.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@contextlib.contextmanager
def demo_server(port=8123, workers=2, extra_commands=(), env=None):
    """``extra_commands`` are manage.py commands (argument lists) run after the
    demo content is loaded, before the server starts; ``env`` adds to the
    server's environment."""
    extra_env = env or {}
    with tempfile.TemporaryDirectory() as scratch:
        env = (
            os.environ
            | extra_env
            | {
                "DATABASE_URL": f"sqlite:///{scratch}/demo.sqlite3",
                "MEDIA_ROOT": f"{scratch}/media",
                "SITE_URL": f"http://127.0.0.1:{port}",
                "DJANGO_DEBUG": "",
            }
        )
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "load_demo_content", "--force"], env=env, check=True, cwd=ROOT
        )
        for command in extra_commands:
            subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                # As `make run` serves: threaded workers, its timeouts.
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--access-logfile",
                "/dev/null",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
