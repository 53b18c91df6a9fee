"""Gunicorn's settings for `make run`, the systemd unit and the container
(deploy/blog.service, deploy/Dockerfile), and for the test that serves
through it (tests/test_serving.py). The address is given on the command line.

At start it says where absolute links lead (SITE_URL), and warns when that is
not the address it listens on.

Threaded workers: a sync worker is held by one connection from accept to close,
so two idle sockets (Chromium opens spare ones to preconnect) left two sync
workers nothing to serve a page with until the sockets timed out. A threaded
worker gives each connection a thread only while a request is on it, and parks
idle and kept-alive connections in its event loop.
"""

import os

from gunicorn.glogging import Logger

wsgi_app = "blog.wsgi"
worker_class = "gthread"
# One worker process per core the server may run on (its CPU affinity, which
# follows a container's or a systemd unit's CPU set), since a process runs
# Python on one core at a time; never fewer than two, so that a worker being
# restarted never leaves none. WEB_CONCURRENCY sets it by hand, e.g. where a
# CPU quota, which affinity does not show, limits the server.
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, len(os.sched_getaffinity(0))))
# A thread waits up to 5 seconds for a new connection's first request before
# parking it (gunicorn's gthread worker); 8 per worker is more than the 6
# connections a browser opens to one host, so a reader's own spare sockets
# never leave a worker with no thread for the page.
threads = 8

# Kept-alive connections cost no thread, only a socket in the event loop. Long
# enough for a page's stylesheet and images to reuse the connection, short
# enough that parked sockets are let go soon after a reader stops clicking.
keepalive = 5
# A kept-alive connection stays with the worker that accepted it, and one
# worker could take most of them when they open together (nginx's pool to
# the app, a burst of readers): measured with 16 connections, 15 on one worker
# happened in two runs of five and cut requests a second by a third. With
# SO_REUSEPORT each worker listens on a socket of its own and the kernel
# spreads new connections over them (at worst 11 to 5 in six runs). Linux lets
# only this user's processes that ask for it share the port. Not for a Unix
# socket, one path the workers cannot each bind (on_starting).
reuse_port = True
# With threads, the arbiter hears from each worker's event loop, not from its
# requests: this restarts a worker that hangs, it never cuts a slow request.
timeout = 30
# On a restart or stop, time for requests already running to finish; the
# slowest is an image upload making its renditions, a few seconds.
graceful_timeout = 20

accesslog = "-"


class AccessLogWithoutHealthChecks(Logger):
    """A probe asks /healthz every few seconds: its answers would bury the
    readers' requests (a failing check is logged by the site itself)."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") != "/healthz":
            super().access(resp, req, environ, request_time)


logger_class = AccessLogWithoutHealthChecks
# Gunicorn's control socket is one path per user account ($HOME/.gunicorn/), so
# a second server on this machine (a test beside `make run`) would take it over.
control_socket_disable = True


def on_starting(server):
    import socket
    import sys

    addresses = server.cfg.address
    if not all(isinstance(address, tuple) for address in addresses):
        server.cfg.set("reuse_port", False)
        return
    # The workers bind later, each on its own: a port another program holds
    # must stop the start here, as it does without reuse_port, rather than
    # fail every worker in turn for ever.
    for address in addresses:
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address[:2])
            except OSError as error:
                server.log.error("Cannot listen on %s:%s: %s", *address[:2], error)
                sys.exit(1)


def when_ready(server):
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings")
    from blog import env_file

    env_file.load()
    from django.conf import settings

    from articles.site import address_problem

    server.log.info("Absolute links use SITE_URL %s", settings.SITE_URL)
    # The addresses asked for: with reuse_port the workers open the sockets,
    # and the arbiter has none to report.
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # A Unix socket: only a proxy reaches it.
        host, port = address[:2]
        if server.cfg.reuse_port:
            server.log.info("Each worker listens on %s:%s", host, port)
        if problem := address_problem(settings.SITE_URL, host, port):
            server.log.warning("WARNING: %s", problem)
