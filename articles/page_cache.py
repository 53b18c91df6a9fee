"""Whole reader pages, kept in a cache that every worker and server shares, and
dropped the moment content changes.

What a reader asks for (GET or HEAD, no session cookie, no query string but a
page number) is answered from the cache when it can be, without touching the
database. Anything else goes to the view as before.

Exact, not merely short-lived:
- Every stored page is filed under the current *generation*, a random token
  kept in the same shared cache. Any statement that writes a watched table
  (``watch()``) replaces the token when its transaction commits, so every
  page stored before is passed over from then on, whatever made the write:
  the admin, a workflow move, a shell, an import with ``bulk_create()`` or
  ``QuerySet.update()``, which send no model signals.
- A page is kept no later than the next moment content changes by the clock
  alone (``bound_by()``: a scheduled article going live, or one expiring),
  checked on every read, so the first request after that moment gets a fresh
  page whatever the backend's own expiry does.

Pages carry an ETag and Last-Modified and answer conditional requests with a
304. ``Cache-Control`` lets shared caches (nginx, a CDN) keep a page for
``SHARED_MAX_AGE`` seconds and serve it stale for ``STALE_WHILE_REVALIDATE``
more while fetching a new one, never past the next change by the clock;
browsers revalidate every time, so an editor who signs in never sees a copy
kept from before.
"""

import hashlib
import logging
import pickle
import re
import threading
import uuid
from collections import OrderedDict
from math import ceil

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    get_max_age,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

# The cache alias in settings.CACHES.
ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
# The longest a page is kept. Content changes reach pages at once; this bounds
# only what nothing watches, such as new templates after a deploy.
LIFETIME = 10 * 60
# How long nginx or a CDN may serve a page without asking, and then serve it
# stale while asking: together the documented bound on an edit behind them.
SHARED_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 30
# The one query string a cached page may have: which page of a list it is
# (?page=2 on lists, ?p=2 on sitemaps).
PAGE_NUMBER_PARAMETERS = {"page", "p"}
# Response headers a stored page may vary on. Cookie: a page that read the
# session of a request without one is the same for every request without one,
# and requests with one never reach the cache.
STORABLE_VARY = {"cookie"}
# A statement that changes rows. Django names tables in double quotes, and
# nothing else in a statement does, so a write naming a watched table in
# quotes writes to it, or reads it to decide what to write.
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|REPLACE)\b", re.IGNORECASE)

# What a cache backend raises when it cannot be reached or written: Redis
# down, or a full disk under the files.
CACHE_ERRORS = (RedisError, OSError)

logger = logging.getLogger(__name__)

# What each process keeps of the pages it served lately (RecentPages).
RECENT_PAGES_BYTES = 32 * 1024 * 1024

_watched_tables = set()
_bounds = []
# Whether this thread has read the generation since it last started one.
_seen = threading.local()


def watch(*models):
    """Pages show these models: a write to their tables (or to their
    many-to-many tables) starts a new generation."""
    for model in models:
        _watched_tables.add(f'"{model._meta.db_table}"')
        for field in model._meta.local_many_to_many:
            _watched_tables.add(f'"{field.remote_field.through._meta.db_table}"')
    for connection in connections.all(initialized_only=True):
        _install(connection=connection)


def bound_by(next_change):
    """``next_change(after)`` gives the first moment after ``after`` at which
    pages change by the clock alone, or None; no page is kept past it."""
    _bounds.append(next_change)


def writes_content(sql):
    return WRITE.match(sql) is not None and any(t in sql for t in _watched_tables)


def invalidate():
    """Start a new generation: every page stored so far is passed over.

    With the cache out of reach, the write still stands (it has committed),
    and this process starts the new generation as soon as it reaches the
    cache again. Another process may serve pages from before the write until
    then, for LIFETIME at most: Redis that lost its data has no old pages."""
    _seen.generation = False
    try:
        caches[ALIAS].set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except CACHE_ERRORS:
        if not _overdue.is_set():
            logger.exception("Page cache out of reach: no new generation after a write")
        _overdue.set()
    else:
        _overdue.clear()


# Set when a write could not start a new generation.
_overdue = threading.Event()


def generation(cache):
    _seen.generation = True
    token = cache.get(GENERATION_KEY)
    if token is None:
        # Never stored, or evicted: a new token, since counting again from
        # any fixed start could bring back pages stored under it before.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def _invalidate_after_write(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if writes_content(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            invalidate()
            return result
        # Only this connection sees the write before it commits: a new
        # generation now matters only if this thread reads pages meanwhile
        # (a test does, inside its one transaction). One saving an article
        # writes dozens of rows, and one new generation at commit covers them.
        if getattr(_seen, "generation", False):
            invalidate()
        if not any(f is invalidate for _, f, _ in connection.run_on_commit):
            transaction.on_commit(invalidate, using=connection.alias)
    return result


def _install(sender=None, connection=None, **kwargs):
    """Watch the writes of ``connection``: each thread has its own."""
    if _invalidate_after_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_invalidate_after_write)


connection_created.connect(_install)


def page_url(request):
    """The address a reader's request is filed under, or None for a request
    that must not be answered from the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    # Signed in (or was, and may be again): staff see pages as themselves.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if request.path.startswith(f"/{settings.ADMIN_URL_PREFIX}"):
        return None
    if request.GET:
        if len(request.GET) != 1:
            return None
        [(name, values)] = request.GET.lists()
        if name not in PAGE_NUMBER_PARAMETERS or len(values) != 1:
            return None
        if not (values[0].isascii() and values[0].isdigit()):
            return None
    return request.build_absolute_uri()


def entry_key(token, url):
    return f"page-cache:page:{token}:{hashlib.sha256(url.encode()).hexdigest()}"


def storable(response):
    """A whole page that is the same for every reader."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(d in cache_control for d in ("private", "no-store", "no-cache")):
        return False
    if get_max_age(response) == 0:
        return False
    vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return vary <= STORABLE_VARY


def next_change(after):
    moments = [m for m in (bound(after) for bound in _bounds) if m is not None]
    return min(moments, default=None)


def limit_cache_control(response, seconds_left, own_schedule):
    """Shared caches may keep the page briefly, and never past the next change
    by the clock, ``seconds_left`` from now. Browsers ask every time, unless
    the view gave a max-age of its own (feeds, sitemaps): that counts down to
    the next change by the clock too, unless the view has ``own_schedule``."""
    view_max_age = get_max_age(response)
    max_age = view_max_age or 0
    shared = min(SHARED_MAX_AGE, view_max_age or SHARED_MAX_AGE)
    stale = STALE_WHILE_REVALIDATE
    if seconds_left is not None:
        if not own_schedule:
            max_age = min(max_age, seconds_left)
        shared = min(shared, seconds_left)
        stale = min(stale, seconds_left - shared)
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=shared,
        stale_while_revalidate=stale,
    )


def seconds_until(deadline, now):
    if deadline is None:
        return None
    return max(0, int((deadline - now).total_seconds()))


def has_own_schedule(response, seconds_left):
    """Whether the view let caches keep the page past the next change by the
    clock: it knows its page does not change then (a feed of one topic, when
    an article of another goes live), and its max-age stands as it gave it."""
    view_max_age = get_max_age(response)
    return (
        view_max_age is not None
        and seconds_left is not None
        and (view_max_age > seconds_left + 1)
    )


def answer(request, response, deadline, own_schedule, now):
    """The stored ``response`` as of ``now``, or a 304 if the reader has it."""
    limit_cache_control(response, seconds_until(deadline, now), own_schedule)
    last_modified = parse_http_date_safe(response["Last-Modified"])
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


class RecentPages:
    """The pages this process served lately, pickled, by their key in the
    shared cache, the most recent kept within ``limit`` bytes.

    A page found here costs no read from the shared cache (a file, or a round
    trip to Redis) and no decompression, which for a feed of whole articles is
    most of the cost of a hit. It is exactly as fresh as the shared copy: the
    key holds the generation token, which is read from the shared cache on
    every request, and a new token empties this store. Kept pickled, so each
    request gets a response object of its own to add its headers to."""

    def __init__(self, limit):
        self.limit, self.size = limit, 0
        self.token, self.pages = None, OrderedDict()
        self.lock = threading.Lock()

    def get(self, token, key):
        with self.lock:
            if token != self.token:
                self.token, self.size = token, 0
                self.pages.clear()
                return None
            data = self.pages.get(key)
            if data is None:
                return None
            self.pages.move_to_end(key)
        return pickle.loads(data)

    def put(self, token, key, stored):
        data = pickle.dumps(stored, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.limit:
            return
        with self.lock:
            if token != self.token:
                return
            replaced = self.pages.pop(key, None)
            self.size += len(data) - (len(replaced) if replaced else 0)
            self.pages[key] = data
            while self.size > self.limit:
                _, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped)


_recent = RecentPages(RECENT_PAGES_BYTES)


class PageCacheMiddleware:
    """Answers readers from the page cache, and fills it. Placed before the
    session middleware, so that a page served from the cache costs no session
    lookup and no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        url = page_url(request) if settings.PAGE_CACHE else None
        if url is None:
            return self.get_response(request)
        started = timezone.now()
        try:
            cache = caches[ALIAS]
            if _overdue.is_set():
                invalidate()
            # Read before rendering: a page rendered from rows older than the
            # token it is filed under could outlive the write that changed them.
            token = generation(cache)
            key = entry_key(token, url)
            stored = self.lookup(cache, token, key)
        except CACHE_ERRORS:
            # Readers still get pages, each made for them, while it is down.
            logger.warning("Page cache out of reach: %s made afresh", request.path)
            return self.get_response(request)
        if stored is not None:
            response, filled_at, deadline, own_schedule = stored
            # Checked here rather than left to the backend's expiry, which
            # Redis counts on its own clock.
            fresh = (started - filled_at).total_seconds() < LIFETIME
            if fresh and (deadline is None or started < deadline):
                return answer(request, response, deadline, own_schedule, started)

        response = self.get_response(request)
        if not storable(response):
            return response
        # Counted from before rendering: an article going live while the page
        # was rendered makes it stale at once rather than at the next change.
        try:
            deadline = next_change(started)
        except DatabaseError:
            # A page made without the database (robots.txt) while it is down:
            # served, but not kept, as nobody can say how long it holds.
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(started.timestamp())
        lifetime = LIFETIME
        if deadline is not None:
            seconds_left = (deadline - started).total_seconds()
            lifetime = min(LIFETIME, max(1, ceil(seconds_left)))
        own_schedule = has_own_schedule(response, seconds_until(deadline, started))
        # In one piece, however the view wrote it: each piece is a send.
        response.content = response.content
        stored = (response, started, deadline, own_schedule)
        try:
            cache.set(key, stored, lifetime)
        except CACHE_ERRORS:
            logger.warning("Page cache out of reach: %s not kept", request.path)
        else:
            _recent.put(token, key, stored)
        return answer(request, response, deadline, own_schedule, started)

    @staticmethod
    def lookup(cache, token, key):
        stored = _recent.get(token, key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                _recent.put(token, key, stored)
        return stored
