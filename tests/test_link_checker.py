"""The link checker's HTTP side, against servers on loopback."""

import pytest

from articles.linkcheck import checker
from articles.linkcheck.checker import Checker
from tests.link_server import LinkServer


def quick(**options):
    defaults = {
        "timeout": 0.5,
        "retries": 1,
        "backoff": 0.01,
        "private_addresses": True,
    }
    return Checker(**defaults | options)


def test_each_kind_of_answer(link_server):
    paths = [
        "/ok",
        "/moved",
        "/moved-for-good",
        "/found",
        "/missing",
        "/gone",
        "/error",
        "/slow",
        "/reset",
        "/loop-a",
        "/no-head",
        "/forbidden",
    ]
    results = quick().check_all([link_server.url(p) for p in paths])
    got = {
        path: (result.outcome, result.status_code, result.error)
        for path in paths
        for result in [results[link_server.url(path)]]
    }
    assert got == {
        "/ok": ("ok", 200, ""),
        "/moved": ("moved", 200, ""),
        "/moved-for-good": ("moved", 200, ""),
        "/found": ("ok", 200, ""),
        "/missing": ("failed", 404, ""),
        "/gone": ("failed", 410, ""),
        "/error": ("failed", 500, ""),
        "/slow": ("failed", None, "Timed out"),
        "/reset": ("failed", None, "Connection broken"),
        "/loop-a": ("failed", None, "Redirects go round in a loop"),
        "/no-head": ("ok", 200, ""),
        "/forbidden": ("inconclusive", 403, ""),
    }
    assert results[link_server.url("/moved")].final_url == link_server.url("/ok")


def test_head_first_then_get_when_head_fails(link_server):
    quick().check_all([link_server.url("/ok"), link_server.url("/no-head")])
    assert link_server.asked("/ok") == ["HEAD"]
    assert link_server.asked("/no-head") == ["HEAD", "GET"]


def test_passing_failures_are_asked_again_and_lasting_ones_not(link_server):
    quick(retries=2).check_all([link_server.url("/error"), link_server.url("/missing")])
    assert link_server.asked("/error") == ["HEAD", "GET"] * 3
    assert link_server.asked("/missing") == ["HEAD", "GET"]


def test_no_more_requests_at_once_than_allowed(link_server):
    urls = [link_server.url(f"/wait/{n}") for n in range(12)]
    results = quick(concurrency=3, per_host=10).check_all(urls)
    assert {r.outcome for r in results.values()} == {checker.OK}
    assert link_server.most_in_flight == 3


def test_no_more_requests_at_once_to_one_host_than_allowed(link_server):
    other = LinkServer(host="127.0.0.2")
    try:
        urls = [s.url(f"/wait/{n}") for s in (link_server, other) for n in range(8)]
        results = quick(concurrency=8, per_host=2).check_all(urls)
    finally:
        other.stop()
    assert len(results) == 16
    assert link_server.most_in_flight == 2
    assert other.most_in_flight == 2


def test_what_is_not_answered_in_time_is_left_out(link_server):
    urls = [link_server.url("/ok"), link_server.url("/slow")]
    results = quick(timeout=5, retries=0).check_all(urls, within=0.5)
    assert list(results) == [link_server.url("/ok")]


def test_addresses_on_this_machine_are_not_fetched_by_default(link_server):
    results = quick(private_addresses=False).check_all([link_server.url("/ok")])
    [result] = results.values()
    assert result.outcome == checker.FAILED
    assert "private address" in result.error
    assert link_server.requests == []


def test_a_redirect_to_this_machine_is_not_followed(link_server):
    """A public address may send the checker on to a private one: each hop is
    looked at, not only the first."""
    request = checker.httpx.Request("GET", link_server.url("/ok"))
    with pytest.raises(checker.PrivateAddress):
        checker.refuse_private(request)


def test_not_a_web_address():
    [result] = quick().check_all(["ftp://example.invalid/file"]).values()
    assert (result.outcome, result.error) == ("failed", "Not a web address")
