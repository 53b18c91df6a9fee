"""The site's own pages: who runs it, how it writes and reviews, contact, privacy.

An app of its own inside articles, as wagtail.images is inside wagtail: it uses
the articles' rich-text field and sanitizer, and the articles' models, views
and feeds do not import it. Its own label gives it its own migrations and
permissions, so the Editors role can be given the pages without touching the
articles' migrations. The footer and the publisher's structured data get the
published pages through the template context (context_processors.site_pages).
"""
