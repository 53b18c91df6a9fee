import feedparser
import pytest

from articles.wordpress.models import ImportedPost


@pytest.mark.usefixtures("imported")
def test_imported_articles_keep_their_wordpress_guid(client, make_article):
    new = make_article(title="Written here after the move")
    for address in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(address).content)
        ids = {entry.title: entry.id for entry in feed.entries}
        assert ids["When Myeloma Returns"] == "https://oldblog.example/?p=101"
        assert ids["Questions to Ask at Clinic"] == "https://oldblog.example/?p=102"
        assert ids[new.title] == f"urn:uuid:{new.uuid}"
    items = client.get("/feed.json").json()["items"]
    assert {i["title"]: i["id"] for i in items}["When Myeloma Returns"] == (
        "https://oldblog.example/?p=101"
    )


@pytest.mark.usefixtures("imported")
def test_guid_survives_a_change_of_slug(client):
    post = ImportedPost.objects.get(wordpress_id=101).article
    post.slug = "myeloma-coming-back"
    post.save()
    feed = feedparser.parse(client.get("/feed/").content)
    entry = next(e for e in feed.entries if e.title == "When Myeloma Returns")
    assert entry.id == "https://oldblog.example/?p=101"
    assert entry.link.endswith("/articles/myeloma-coming-back/")
