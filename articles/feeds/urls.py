"""The feed addresses, included by articles.urls.

/feed/, /feed/atom/ and /feed.json for the whole site, and the same three under
each topic, tag and author page (/topics/relapse/feed/, …). URL names follow
the pattern feed, feed_atom, feed_json, topic_feed, topic_feed_atom, ….
"""

from django.urls import path

from articles.feeds.views import (
    AtomLatestArticlesFeed,
    JsonLatestArticlesFeed,
    LatestArticlesFeed,
)

FEEDS = [
    ("feed/", LatestArticlesFeed(), ""),
    ("feed/atom/", AtomLatestArticlesFeed(), "_atom"),
    ("feed.json", JsonLatestArticlesFeed(), "_json"),
]
# Kind of owner (see articles.feeds.views.OWNERS) -> where its pages live.
OWNER_PREFIXES = {"topic": "topics", "tag": "tags", "author": "authors"}

urlpatterns = [path(route, feed, name=f"feed{suffix}") for route, feed, suffix in FEEDS]
urlpatterns += [
    path(
        f"{prefix}/<slug:slug>/{route}",
        feed,
        {"owner": kind},
        name=f"{kind}_feed{suffix}",
    )
    for kind, prefix in OWNER_PREFIXES.items()
    for route, feed, suffix in FEEDS
]
