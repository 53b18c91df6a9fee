"""`/healthz`: whether this server can serve, for a load balancer, systemd or
a container's health check.

200 when the database answers, and Redis too when REDIS_URL names it; 503
otherwise, saying which failed (the reason goes to the log, not to whoever
asks). Answered first, before host checks, the HTTPS redirect, the page cache
and sessions: a probe asks by IP address over plain HTTP, and must reach the
database itself every time, never a kept page. It is never logged when it
succeeds (deploy/gunicorn.conf.py keeps it out of the access log).
"""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import JsonResponse

from articles.outages import drop_broken_connections

PATH = "/healthz"
# Seconds: a probe's own timeout is usually a few more.
REDIS_TIMEOUT = 2

logger = logging.getLogger(__name__)


def database_problem():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        drop_broken_connections()
        return error
    return None


def redis_problem():
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=REDIS_TIMEOUT,
        socket_connect_timeout=REDIS_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return error
    finally:
        client.close()
    return None


def problems():
    """What does not answer: {"database": error, "redis": error}."""
    checks = {"database": database_problem}
    if settings.REDIS_URL:
        checks["redis"] = redis_problem
    return {name: error for name, check in checks.items() if (error := check())}


class HealthCheckMiddleware:
    """Answers GET and HEAD /healthz; everything else goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        failed = problems()
        for name, error in failed.items():
            logger.warning("Health check: %s unavailable: %s", name, error)
        checked = ["database", "redis"] if settings.REDIS_URL else ["database"]
        response = JsonResponse(
            {name: "unavailable" if name in failed else "ok" for name in checked},
            status=503 if failed else 200,
        )
        response["Cache-Control"] = "no-store"
        return response
