import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Topic
from articles.wordpress.models import OldAddress, normalize_path

pytestmark = pytest.mark.usefixtures("imported")
NEW = "/articles/when-myeloma-returns/"


@pytest.mark.parametrize(
    "old",
    [
        "/2023/05/05/when-myeloma-returns/",
        "/2023/05/05/when-myeloma-returns",
        "/2023/05/05/When-Myeloma-Returns/",
        "/?p=101",
        "/category/myeloma/when-myeloma-returns/",
        "/category/blood-cancers/myeloma/when-myeloma-returns/",
    ],
)
def test_every_old_permalink_redirects_permanently(client, old):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, NEW)
    assert client.get(response["Location"]).status_code == 200


def test_permalink_from_the_link_element_redirects(client):
    # Post 104's link is WordPress's plain "/?p=104"; it is scheduled, so not yet.
    assert client.get("/?p=104").status_code == 200  # The home page, as ever.
    response = client.get("/2023/06/12/questions-to-ask/")
    assert response["Location"] == "/articles/questions-to-ask/"


def test_any_recorded_old_path_redirects(client):
    post = OldAddress.objects.get(path="/?p=101").article
    OldAddress.objects.create(path="/blog/archives/101.html", article=post)
    assert client.get("/blog/archives/101.html")["Location"] == NEW


def test_old_addresses_of_articles_not_live_are_not_found(client):
    assert client.get("/?p=105").status_code == 200  # The home page.
    assert client.get("/2023/08/02/notes-for-the-team/").status_code == 404


def test_old_list_and_feed_addresses_redirect(client):
    expected = {
        "/category/myeloma/": "/topics/myeloma/",
        "/category/blood-cancers/myeloma/": "/topics/myeloma/",
        "/category/myeloma/feed/": "/topics/myeloma/feed/",
        "/category/myeloma/feed/atom/": "/topics/myeloma/feed/atom/",
        "/tag/coming-back/": "/tags/coming-back/",
        "/tag/coming-back/feed/": "/tags/coming-back/feed/",
        "/author/rhona/": "/authors/rhona/",
        "/feed/rss2/": "/feed/",
        "/2023/05/": "/archive/2023/5/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (old, response.status_code, response["Location"]) == (old, 301, new)
    assert client.get("/feed/").status_code == 200


def test_unknown_old_addresses_stay_not_found(client):
    assert client.get("/category/no-such-topic/").status_code == 404
    assert client.get("/2023/05/05/no-such-post/").status_code == 404
    assert client.get("/2023/13/").status_code == 404


def test_an_old_address_costs_one_query_more_than_not_found(client):
    with CaptureQueriesContext(connection) as not_found:
        assert client.get("/2023/05/05/no-such-post/").status_code == 404
    with CaptureQueriesContext(connection) as redirected:
        assert client.get("/2023/05/05/when-myeloma-returns/").status_code == 301
    assert len(redirected) == len(not_found) <= 2


def test_topic_renamed_here_is_still_found_by_its_slug(client):
    Topic.objects.filter(slug="myeloma").update(name="Myeloma and relapse")
    assert client.get("/category/myeloma/")["Location"] == "/topics/myeloma/"


def test_paths_are_normalized():
    assert normalize_path("https://old.example/2023/05/05/Caf%C3%A9/") == (
        "/2023/05/05/café"
    )
    assert normalize_path("https://old.example/?p=12") == "/?p=12"
