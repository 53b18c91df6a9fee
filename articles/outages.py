"""A database outage answered as one: 503 with Retry-After, never a 500.

PostgreSQL restarting, refusing connections or cutting one under a request
raises OperationalError or InterfaceError from wherever the query was. Readers
are told to come back shortly, and crawlers keep the page indexed, as a 503
with Retry-After asks them to; a 500 says the page itself is broken.
"""

import contextlib
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

# Seconds: about the time PostgreSQL takes to restart or fail over.
RETRY_AFTER = 30

logger = logging.getLogger(__name__)


def is_outage(exception):
    return isinstance(exception, OperationalError | InterfaceError)


def unavailable_response():
    # Rendered without the request: context processors may query the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # Neither nginx nor a CDN may keep the outage page in place of the real one.
    response["Cache-Control"] = "no-store"
    return response


def drop_broken_connections():
    """Close the connections an outage broke, so the next request opens a new
    one instead of failing on the dead socket until CONN_MAX_AGE runs out."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


class DatabaseOutageMiddleware:
    """Answers a view or template that cannot reach the database with a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("Database unavailable: %s", exception)
        drop_broken_connections()
        return unavailable_response()
