#!/bin/sh
# Back up the site into a new dated folder under FOLDER, then delete the
# nightly backups older than KEEP_DAYS (default 30), except the first of each
# month, which are kept KEEP_MONTHLY_DAYS (default 400). Run it from the
# site's folder, as blog-backup.service does; copy FOLDER off the machine too.
set -eu

root=${1:?usage: deploy/backup.sh FOLDER}
keep_days=${KEEP_DAYS:-30}
keep_monthly_days=${KEEP_MONTHLY_DAYS:-400}
python=${PYTHON:-.venv/bin/python}

mkdir -p "$root"
"$python" manage.py backup "$root/$(date -u +%Y-%m-%dT%H%M%SZ)"

# Only once a new backup is safely written.
find "$root" -mindepth 1 -maxdepth 1 -type d -name '????-??-??T*Z' \
    ! -name '????-??-01T*' -mtime +"$keep_days" -exec rm -rf {} +
find "$root" -mindepth 1 -maxdepth 1 -type d -name '????-??-01T*Z' \
    -mtime +"$keep_monthly_days" -exec rm -rf {} +
