from django import template

from articles.feeds.views import feed_addresses

register = template.Library()


@register.inclusion_tag("articles/_feed_links.html")
def feed_links(owner=None):
    """<link rel="alternate"> to the RSS, Atom and JSON feeds of the whole site,
    or of ``owner`` (a topic, tag or author), for readers' autodiscovery."""
    return {"feeds": feed_addresses(owner)}


@register.inclusion_tag("articles/_subscribe.html")
def subscribe(owner=None, label="Subscribe"):
    """A visible Subscribe link that shows the RSS address, for readers to copy
    into their feed reader."""
    return {"feed": feed_addresses(owner)[0], "label": label}
