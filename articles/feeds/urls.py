"""The feed addresses, included by articles.urls.

/feed/, /feed/atom/ and /feed.json for the whole site, and the same three under
each topic, tag and author page (/topics/relapse/feed/, …). The "owner" argument
is the kind of page (see articles.feeds.views.OWNERS).
"""

from django.urls import path

from articles.feeds.views import atom_feed, json_feed, rss_feed

TOPIC = {"owner": "topic"}
TAG = {"owner": "tag"}
AUTHOR = {"owner": "author"}

urlpatterns = [
    path("feed/", rss_feed, name="feed"),
    path("feed/atom/", atom_feed, name="feed_atom"),
    path("feed.json", json_feed, name="feed_json"),
    path("topics/<slug:slug>/feed/", rss_feed, TOPIC, name="topic_feed"),
    path("topics/<slug:slug>/feed/atom/", atom_feed, TOPIC, name="topic_feed_atom"),
    path("topics/<slug:slug>/feed.json", json_feed, TOPIC, name="topic_feed_json"),
    path("tags/<slug:slug>/feed/", rss_feed, TAG, name="tag_feed"),
    path("tags/<slug:slug>/feed/atom/", atom_feed, TAG, name="tag_feed_atom"),
    path("tags/<slug:slug>/feed.json", json_feed, TAG, name="tag_feed_json"),
    path("authors/<slug:slug>/feed/", rss_feed, AUTHOR, name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", atom_feed, AUTHOR, name="author_feed_atom"),
    path("authors/<slug:slug>/feed.json", json_feed, AUTHOR, name="author_feed_json"),
]
