"""Link checker runs: what is checked, what is recorded, when a source counts
as broken, and what readers are told."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from articles.models import Link, LinkCheck, LinkState
from articles.models.links import CHECKS_KEPT


def check(*args):
    call_command("check_references", *map(str, args))


def state_of(url):
    return Link.objects.get(url=url).state


def test_every_reference_and_outside_body_link_is_checked(
    link_server, make_article, make_reference, settings
):
    settings.SITE_URL = "https://blog.example.org"
    article = make_article(
        body=f'<p>See <a href="{link_server.url("/found")}">this</a>, '
        '<a href="https://blog.example.org/topics/">our topics</a> and '
        '<a href="/about/">us</a>.</p>'
    )
    make_reference(article, url=link_server.url("/ok"))
    make_reference(article, url="", doi="10.1182/blood.2020008805")
    check("--article", article.pk)
    assert set(article.links.values_list("url", flat=True)) == {
        link_server.url("/ok"),
        link_server.url("/found"),
    }
    assert {path for _, path in link_server.requests} == {"/ok", "/found"}


def test_one_failure_does_not_make_a_source_broken(
    link_server, make_article, make_reference, clock
):
    url = link_server.url("/missing")
    make_reference(make_article(), url=url)
    check()
    link = Link.objects.get(url=url)
    assert (link.state, link.status_code, link.failures) == ("failing", 404, 1)
    assert link.checked_at is not None and link.ok_at is None


def test_broken_after_repeated_failures_over_days(
    link_server, make_article, make_reference, clock
):
    url = link_server.url("/gone")
    make_reference(make_article(), url=url)
    for _ in range(4):  # Four failures in one afternoon.
        check()
        clock.shift(timedelta(hours=1))
    assert state_of(url) == LinkState.FAILING
    clock.shift(timedelta(days=1))
    check()
    assert state_of(url) == LinkState.FAILING  # Failing for one day only.
    clock.shift(timedelta(days=1))
    check()
    assert state_of(url) == LinkState.BROKEN


def test_the_rule_is_a_setting(
    link_server, make_article, make_reference, clock, settings
):
    settings.LINK_CHECK_BROKEN_AFTER_FAILURES = 2
    settings.LINK_CHECK_BROKEN_AFTER_DAYS = 0
    url = link_server.url("/gone")
    make_reference(make_article(), url=url)
    check()
    check()
    assert state_of(url) == LinkState.BROKEN


def test_a_source_that_works_again_starts_afresh(
    link_server, make_article, make_reference, clock
):
    url = link_server.url("/flaky")
    make_reference(make_article(), url=url)
    link_server.answers["/flaky"] = (503, None)
    for _ in range(3):
        check()
        clock.shift(timedelta(days=1))
    assert state_of(url) == LinkState.BROKEN
    link_server.answers["/flaky"] = (200, None)
    check()
    link = Link.objects.get(url=url)
    assert (link.state, link.failures, link.failing_since) == ("ok", 0, None)
    assert link.ok_at == link.checked_at


def test_a_permanent_redirect_is_recorded_as_moved(
    link_server, make_article, make_reference
):
    url = link_server.url("/moved")
    make_reference(make_article(), url=url)
    check()
    link = Link.objects.get(url=url)
    assert link.state == LinkState.MOVED
    assert link.moved_to == link_server.url("/ok")


def test_a_refusing_server_neither_breaks_nor_clears_a_link(
    link_server, make_article, make_reference, clock
):
    url = link_server.url("/sometimes")
    make_reference(make_article(), url=url)
    link_server.answers["/sometimes"] = (404, None)
    check()
    link_server.answers["/sometimes"] = (403, None)
    clock.shift(timedelta(days=3))
    check()
    link = Link.objects.get(url=url)
    assert (link.state, link.failures, link.status_code) == ("failing", 1, 403)


def test_history_is_kept_per_link(link_server, make_article, make_reference, clock):
    url = link_server.url("/ok")
    make_reference(make_article(), url=url)
    for _ in range(CHECKS_KEPT + 2):
        check()
        clock.shift(timedelta(hours=1))
    checks = LinkCheck.objects.filter(link__url=url)
    assert checks.count() == CHECKS_KEPT
    assert {c.outcome for c in checks} == {"ok"}


def test_stale_after_leaves_recent_checks_alone(
    link_server, make_article, make_reference, clock
):
    make_reference(make_article(), url=link_server.url("/ok"))
    check()
    clock.shift(timedelta(days=2))
    check("--stale-after", "7d")
    assert link_server.asked("/ok") == ["HEAD"]
    clock.shift(timedelta(days=6))
    check("--stale-after", "7d")
    assert link_server.asked("/ok") == ["HEAD", "HEAD"]


def test_links_no_article_uses_are_forgotten(link_server, make_article, make_reference):
    reference = make_reference(make_article(), url=link_server.url("/ok"))
    check()
    reference.delete()
    check()
    assert not Link.objects.exists()


@pytest.mark.parametrize("duration", ["7", "seven days", "7y", "1.5d"])
def test_a_bad_duration_is_a_clear_error(db, duration):
    with pytest.raises(CommandError, match="30m, 12h, 7d or 2w"):
        check("--stale-after", duration)


def test_an_unknown_article_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No article with id 999"):
        check("--article", 999)


def test_the_command_says_what_it_found(
    link_server, make_article, make_reference, capsys
):
    article = make_article()
    make_reference(article, url=link_server.url("/ok"))
    make_reference(article, url=link_server.url("/moved"))
    make_reference(article, url=link_server.url("/missing"))
    check()
    out = capsys.readouterr().out
    assert "Checked 3 links: 1 works, 1 moved, 1 failed lately." in out
    assert f"Moved: {link_server.url('/moved')} (HTTP 200) -> " in out
    assert f"Failed lately: {link_server.url('/missing')} (HTTP 404)" in out


def test_readers_are_told_of_a_broken_link(
    link_server, make_article, make_reference, clock, client
):
    url = link_server.url("/gone")
    article = make_article()
    make_reference(article, url=url, title="Outcomes after relapse")
    page = article.get_absolute_url()
    assert "did not work" not in client.get(page).text  # Kept in the page cache.
    for _ in range(2):
        check()
        assert "did not work" not in client.get(page).text
        clock.shift(timedelta(days=1))
    check()
    note = "This link did not work when last checked on <time datetime="
    assert f'{note}"2030-01-03">' in client.get(page).text
    clock.shift(timedelta(days=1))
    check()  # Still broken: the day shown moves on.
    text = client.get(page).text
    assert "Outcomes after relapse" in text
    assert f'{note}"2030-01-04">4 January 2030</time>.' in text
    assert "The DOI link still finds the source." in text
    assert f'href="{url}"' in text
    feed = client.get("/feed/").text
    assert "This link did not work when last checked on" in feed


def test_readers_are_told_of_a_broken_link_in_the_text(
    link_server, make_article, make_reference, clock, client
):
    url = link_server.url("/gone")
    article = make_article(
        body=f'<p>The <a href="{url}">charity guide</a> explains it.</p>'
    )
    make_reference(article, url=link_server.url("/ok"))
    page = article.get_absolute_url()
    for _ in range(3):
        assert "did not work" not in client.get(page).text
        check()
        clock.shift(timedelta(days=1))
    text = client.get(page).text
    # The link stays, and the note follows it.
    assert f'href="{url}"' in text
    assert (
        'charity guide</a> <span class="link-check">(This link did not work when '
        'last checked on <time datetime="2030-01-03">3 January 2030</time>.)</span> '
        "explains it."
    ) in text
