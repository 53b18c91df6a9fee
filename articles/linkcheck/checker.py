"""Ask web servers whether addresses still answer, many at once and politely.

Knows nothing of the database: it takes addresses and gives back one Result
each. HEAD first, since it costs the server nothing; GET when HEAD is refused
or fails, as many servers answer HEAD wrongly (405, 404, or a reset). Redirects
are followed; a permanent one (301, 308) on the way makes the result "moved".
"""

import ipaddress
import socket
import threading
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

OK = "ok"
MOVED = "moved"
FAILED = "failed"
# The server answered but would not show the page to a robot (401, 403, 429):
# neither proof that the source is there nor that it is gone.
INCONCLUSIVE = "inconclusive"

PERMANENT_REDIRECTS = {301, 308}
REFUSING = {401, 403, 429}
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Result:
    url: str
    outcome: str
    status_code: int | None = None
    error: str = ""
    final_url: str = ""
    # Worth asking again in a moment: a timeout, a reset, a 5xx, a 429.
    retryable: bool = False


class PrivateAddress(Exception):
    """An address on this machine or a private network, which is not fetched."""


def refuse_private(request):
    """httpx request hook, run for every redirect too."""
    host = request.url.host
    try:
        infos = socket.getaddrinfo(host, request.url.port or 443)
    except OSError:
        return  # httpx reports the failed lookup itself.
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise PrivateAddress(f"{host} is a private address: not checked")


def result_of(url, response):
    code = response.status_code
    final_url = str(response.url)
    if 200 <= code < 300:
        moved = any(r.status_code in PERMANENT_REDIRECTS for r in response.history)
        return Result(url, MOVED if moved else OK, code, final_url=final_url)
    if code in REFUSING:
        return Result(
            url, INCONCLUSIVE, code, final_url=final_url, retryable=code == 429
        )
    return Result(url, FAILED, code, final_url=final_url, retryable=code >= 500)


def error_result(url, error):
    if isinstance(error, httpx.TooManyRedirects):
        return Result(url, FAILED, error="Redirects go round in a loop")
    if isinstance(error, PrivateAddress):
        return Result(url, FAILED, error=str(error))
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return Result(url, FAILED, error="Not a web address")
    if isinstance(error, httpx.TimeoutException):
        return Result(url, FAILED, error="Timed out", retryable=True)
    if isinstance(error, httpx.ConnectError):
        return Result(url, FAILED, error="Could not connect", retryable=True)
    if isinstance(error, httpx.TransportError):
        # A reset, or a server that closed the connection without answering.
        return Result(url, FAILED, error="Connection broken", retryable=True)
    return Result(url, FAILED, error=str(error) or type(error).__name__)


class Checker:
    def __init__(
        self,
        *,
        timeout=10,
        concurrency=8,
        per_host=2,
        retries=2,
        backoff=2,
        private_addresses=False,
        user_agent="link checker",
    ):
        self.timeout = timeout
        self.concurrency = concurrency
        self.per_host = per_host
        self.retries = retries
        self.backoff = backoff
        self.private_addresses = private_addresses
        self.user_agent = user_agent
        self._hosts = defaultdict(lambda: threading.BoundedSemaphore(self.per_host))
        self._hosts_lock = threading.Lock()

    def client(self):
        return httpx.Client(
            timeout=self.timeout,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": self.user_agent},
            limits=httpx.Limits(max_connections=self.concurrency),
            event_hooks={} if self.private_addresses else {"request": [refuse_private]},
        )

    def check_all(self, urls, within=None):
        """A Result for each address, checked ``concurrency`` at a time and at
        most ``per_host`` at a time on one host. With ``within`` seconds, the
        addresses not checked by then are left out of the answer."""
        results = {}
        with self.client() as client:
            pool = ThreadPoolExecutor(max_workers=self.concurrency)
            futures = [pool.submit(self.check, client, url) for url in by_turns(urls)]
            done, _ = wait(futures, timeout=within)
            # Those not started are dropped; those running end within their
            # timeout, and their answers with them.
            pool.shutdown(wait=within is None, cancel_futures=True)
            for future in done:
                result = future.result()
                results[result.url] = result
        return results

    def check(self, client, url):
        """One address, asked again after a passing failure, waiting longer
        each time."""
        for attempt in range(self.retries + 1):
            with self.host_slot(url):
                result = self.ask(client, url)
            if not result.retryable or attempt == self.retries:
                return result
            time.sleep(self.backoff * 2**attempt)
        return result

    def host_slot(self, url):
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            return self._hosts[host]

    def ask(self, client, url):
        try:
            head = result_of(url, client.head(url))
        except (
            httpx.TimeoutException,
            httpx.TooManyRedirects,
            PrivateAddress,
        ) as error:
            return error_result(url, error)
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            head = error_result(url, error)
        if head.outcome in (OK, MOVED):
            return head
        try:
            # The body is not read: the status line and headers are the answer.
            with client.stream("GET", url) as response:
                return result_of(url, response)
        except (httpx.HTTPError, httpx.InvalidURL, PrivateAddress) as error:
            return error_result(url, error)


def by_turns(urls):
    """The addresses ordered host by host in turn, so that the pool's threads
    seldom wait on one host's limit while others have work."""
    queues = defaultdict(deque)
    for url in dict.fromkeys(urls):
        queues[(urlsplit(url).hostname or "").lower()].append(url)
    ordered = []
    while queues:
        for host in list(queues):
            ordered.append(queues[host].popleft())
            if not queues[host]:
                del queues[host]
    return ordered
