"""An import uploaded in the admin, run in a thread of the web worker.

A thread rather than chunks of posts per request: the importer reads the
export twice, streaming, and keeps its report as it goes; in chunks, every
request would read the whole export again and the report would have to be
pieced together, and the admin runs no script to ask for the next chunk, so
a GET would have to do the writing. The thread starts once the upload's
transaction has committed, writes each post in its own transaction as the
command does, and notes its progress on the row, which the page shows. A
server stopped under it leaves the row "running" but no longer heard from:
the page says so, and uploading the export again picks up where it stopped,
since an import never doubles what is already there.
"""

import logging
import tempfile
import threading
import time

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from articles.wordpress import uploads_zip
from articles.wordpress.importer import AS_IS, DRAFT, Importer
from articles.wordpress.models import WordPressImport
from articles.wordpress.wxr import NotAnExport

logger = logging.getLogger(__name__)
THREAD_NAME = "wordpress-import"
# Progress is written at most this often, not once per post.
PROGRESS_EVERY = 1.0  # seconds


def start_after_commit(job):
    transaction.on_commit(lambda: start(job.pk))


def start(pk):
    thread = threading.Thread(
        target=run_in_thread, args=(pk,), name=f"{THREAD_NAME}-{pk}", daemon=True
    )
    thread.start()
    return thread


def wait():
    """Until every import running in this process has finished."""
    for thread in threading.enumerate():
        if thread.name.startswith(THREAD_NAME):
            thread.join()


def run_in_thread(pk):
    close_old_connections()
    try:
        run(WordPressImport.objects.get(pk=pk))
    finally:
        connection.close()


def run(job):
    """Import the job's export; its row ends done, or failed with the reason
    and the report of what was imported before the failure."""
    now = timezone.now()
    WordPressImport.objects.filter(pk=job.pk).update(
        state=WordPressImport.State.RUNNING, started_at=now, heard_at=now
    )
    importer = None
    try:
        with tempfile.TemporaryDirectory(
            dir=job.export.storage.location, prefix="unpacked-"
        ) as folder:
            media_dir = None
            if job.uploads_zip:
                media_dir = uploads_zip.unpack(job.uploads_zip.path, folder)
            importer = Importer(
                job.export.path,
                media_dir=media_dir,
                dry_run=job.is_dry_run,
                status=DRAFT if job.as_drafts else AS_IS,
            )
            importer.run(progress=progress_of(job))
    except NotAnExport as error:
        finish(job, importer, str(error))
    except Exception as error:
        logger.exception("WordPress import %s failed", job.pk)
        finish(job, importer, f"The import stopped on an error: {error!r}.")
    else:
        finish(job, importer)


def progress_of(job):
    last = 0.0

    def progress(done, total):
        nonlocal last
        if time.monotonic() - last < PROGRESS_EVERY and done < total:
            return
        last = time.monotonic()
        WordPressImport.objects.filter(pk=job.pk).update(
            done=done, total=total, heard_at=timezone.now()
        )

    return progress


def finish(job, importer, error=""):
    report = importer.report if importer is not None else None
    now = timezone.now()
    WordPressImport.objects.filter(pk=job.pk).update(
        state=WordPressImport.State.FAILED if error else WordPressImport.State.DONE,
        error=error,
        report=report.as_json() if report is not None else {},
        finished_at=now,
        heard_at=now,
    )
