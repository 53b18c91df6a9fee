"""Feeds for subscribers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the whole site
and of each topic, tag and author.

views: the Feed classes and the feed addresses pages link to; generators: the
three formats; content: the whole article as an item carries it; caching: when
a feed last changed, for 304s and Cache-Control; urls: the routes.
"""
