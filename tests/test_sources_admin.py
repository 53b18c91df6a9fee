"""What editors see of the link checker in the admin."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse

from articles.models import Link, LinkState, Reference, Status
from tests.admin_form import change_url, form_data

SOURCES = reverse("admin:articles_sourcetofix_changelist")
ARTICLES = reverse("admin:articles_article_changelist")


def check():
    call_command("check_references")


def broken(url, failures=3):
    """A link already found broken, as runs over days leave it."""
    link, _ = Link.objects.get_or_create(url=url)
    link.state, link.failures, link.status_code = LinkState.BROKEN, failures, 404
    link.save()
    return link


def test_sources_to_fix_most_used_by_live_articles_first(
    client, editor, make_article, make_reference, link_server
):
    client.force_login(editor)
    rare, common = link_server.url("/gone"), link_server.url("/missing")
    make_reference(make_article(), url=rare)
    for _ in range(2):
        make_reference(make_article(), url=common)
    make_reference(make_article(status=Status.DRAFT, published_at=None), url=rare)
    make_reference(make_article(status=Status.DRAFT, published_at=None), url=rare)
    make_reference(make_article(), url=link_server.url("/ok"))
    check()
    Link.objects.filter(url__in=[rare, common]).update(state=LinkState.BROKEN)
    response = client.get(SOURCES)
    assert response.status_code == 200
    listed = [link.url for link in response.context["cl"].result_list]
    assert listed == [common, rare]
    assert [link.live_articles for link in response.context["cl"].result_list] == [
        2,
        1,
    ]


def test_the_article_list_has_a_badge_for_broken_and_moved_links(
    client, editor, make_article, make_reference, link_server
):
    client.force_login(editor)
    article = make_article()
    make_reference(article, url=link_server.url("/gone"))
    make_reference(article, url=link_server.url("/moved"))
    make_article(title="Nothing wrong here")
    check()
    Link.objects.filter(url=link_server.url("/gone")).update(state=LinkState.BROKEN)
    text = client.get(ARTICLES).text
    assert '<span class="link-badge link-broken">1 broken</span>' in text
    assert '<span class="link-badge link-moved">1 moved</span>' in text


def test_the_reference_shows_its_status_and_takes_the_new_address(
    client, editor, make_article, make_reference, link_server
):
    client.force_login(editor)
    article = make_article(status=Status.DRAFT, published_at=None)
    reference = make_reference(article, url=link_server.url("/moved"))
    check()
    url = change_url(article)
    text = client.get(url).text
    assert "Moved</span> (HTTP 200; last checked" in text
    assert f"The link leads to {link_server.url('/ok')} for good now." in text
    data = form_data(client, url)
    data["references-0-use_new_address"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    reference.refresh_from_db()
    assert reference.url == link_server.url("/ok")


def test_without_ticking_the_offer_the_address_stays(
    client, editor, make_article, make_reference, link_server
):
    client.force_login(editor)
    article = make_article(status=Status.DRAFT, published_at=None)
    reference = make_reference(article, url=link_server.url("/moved"))
    check()
    response = client.post(change_url(article), form_data(client, change_url(article)))
    assert response.status_code == 302
    assert Reference.objects.get(pk=reference.pk).url == link_server.url("/moved")


def test_a_failure_shows_beside_the_reference_without_breaking_it(
    client, editor, make_article, make_reference, link_server, clock
):
    client.force_login(editor)
    article = make_article()
    make_reference(article, url=link_server.url("/missing"))
    check()
    text = client.get(change_url(article)).text
    assert "Failed lately</span> (HTTP 404; last checked 1 January 2030;" in text
    clock.shift(timedelta(days=2))
    check()
    check()
    assert "Broken</span> (HTTP 404" in client.get(change_url(article)).text


def test_check_sources_now_checks_the_selected_articles(
    client, editor, make_article, make_reference, link_server
):
    client.force_login(editor)
    chosen, other = make_article(), make_article()
    make_reference(chosen, url=link_server.url("/ok"))
    make_reference(other, url=link_server.url("/found"))
    response = client.post(
        ARTICLES,
        {"action": "check_sources_now", "_selected_action": [chosen.pk]},
        follow=True,
    )
    assert "Checked 1 link: 1 works." in response.text
    assert Link.objects.get(url=link_server.url("/ok")).state == LinkState.OK
    assert link_server.asked("/found") == []


def test_readers_and_reviewers_without_reference_rights_see_no_list(client, reviewer):
    client.force_login(reviewer)
    assert client.get(SOURCES).status_code == 403
