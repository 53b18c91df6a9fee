from django import template

from articles import structured_data
from articles.site import absolute_url

register = template.Library()


@register.filter
def absolute(url):
    """A site path as an absolute URL on the public site (SITE_URL)."""
    return absolute_url(url) if url else ""


@register.simple_tag
def sharing_image(article):
    """The rendition sharing cards show (``{% sharing_image article as image %}``)."""
    return structured_data.sharing_image(article)


@register.simple_tag(takes_context=True)
def article_structured_data(context, article, review=None):
    """The article's JSON-LD ``<script>``. ``review`` is the MedicalReview
    readers are told about; an unset template variable ("") counts as none. The Organization links the
    published site pages the footer lists (``site_pages``), loaded once."""
    return structured_data.json_ld_script(
        structured_data.article_graph(
            article, review or None, context.get("site_pages", ())
        )
    )


@register.simple_tag(takes_context=True)
def site_page_structured_data(context, page):
    """A site page's JSON-LD ``<script>``."""
    return structured_data.json_ld_script(
        structured_data.site_page_graph(page, context.get("site_pages", ()))
    )


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The public address of the page being rendered.

    Query parameters are dropped (tracking tags, reordered filters) except the
    page number past the first page: each page of a list is a page of its own.
    """
    request = context.get("request")
    if request is None:
        return ""
    url = absolute_url(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag(takes_context=True)
def glossary_structured_data(context, terms):
    """The glossary index's JSON-LD ``<script>``: ``terms`` are Terms."""
    entries = [term.entry for term in terms]
    return structured_data.json_ld_script(
        structured_data.glossary_graph(entries, context.get("site_pages", ()))
    )


@register.simple_tag(takes_context=True)
def term_structured_data(context, term):
    """A glossary term's JSON-LD ``<script>``: ``term`` is its entry
    (Term.entry)."""
    return structured_data.json_ld_script(
        structured_data.term_graph(term, context.get("site_pages", ()))
    )
