"""The site's git-ignored `.env` file: the settings it was started with, kept
for every command run on it later.

`make run` and `make dev` save the settings they are given into it (manage.py
save_environment), so that a later `manage.py changepassword admin` reaches
the same database without being told again. manage.py and the WSGI application
read it; a variable set in the process's own environment wins over the file.
The test suite imports the settings directly and never reads it.
"""

import os
from pathlib import Path

from dotenv import load_dotenv, set_key

BASE_DIR = Path(__file__).resolve().parent.parent


def path():
    """The file: `.env` in the project, DJANGO_ENV_FILE, or None when that is
    set empty."""
    name = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
    return Path(name) if name else None


def load():
    if (env_file := path()) is not None:
        load_dotenv(env_file, override=False)


def save(values):
    """Write ``values`` (names to strings) into the file, keeping its other
    lines. It may hold passwords: only its owner may read it."""
    env_file = path()
    if env_file is None:
        return None
    env_file.touch(mode=0o600, exist_ok=True)
    for name, value in values.items():
        set_key(env_file, name, value, quote_mode="always")
    env_file.chmod(0o600)
    return env_file
