"""What search engines and sharing cards read about an article or a site page.

One JSON-LD ``@graph`` per article page: a schema.org MedicalWebPage whose
mainEntity is a BlogPosting, and the publishing Organization both point at.
Everything comes from objects the article page has already loaded (author,
featured image with its renditions, topics, references, and the published site
pages the footer lists), so building it makes no query of its own.

The Organization links the site pages that say who it is, how it writes and
reviews, and how to reach it, as the Trust Project's indicators ask (schema.org
publishingPrinciples, correctionsPolicy and the rest). A site page has its own
graph: the page (an AboutPage or ContactPage where it is one) and the
Organization.

Glossary terms the article links are DefinedTerms of the site's
DefinedTermSet, which the BlogPosting mentions; the glossary's own pages have
the set, or the term, as their graph.

The graph is built as plain dicts here and turned into a ``<script>`` element by
``json_ld_script``, which escapes what could end the element early: titles and
summaries are typed by editors and may contain anything, "</script>" included.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.site import absolute_url

# Which Organization properties each kind of site page answers, by the page's
# purpose (articles.pages.models.Purpose). The about page describes the
# organisation, who runs it and who pays for it; the editorial policy holds
# how articles are written, reviewed and corrected, and conflicts of
# interest; the contact page how to reach the team and report a mistake.
POLICY_PROPERTIES = {
    "about": ("mainEntityOfPage", "ownershipFundingInfo"),
    "editorial-policy": ("publishingPrinciples", "correctionsPolicy", "ethicsPolicy"),
    "contact": ("actionableFeedbackPolicy",),
}
PAGE_TYPES = {"about": "AboutPage", "contact": "ContactPage"}
# The crops made for sharing and structured data (articles.images.renditions.CROPS),
# in the order Google lists them for an article's images.
IMAGE_CROPS = ("16:9", "4:3", "1:1")
SHARING_CROP = "16:9"
AUDIENCE = {"@type": "PeopleAudience", "audienceType": "Patients and caregivers"}
# As django.utils.html.json_script does: inside <script> the HTML parser only
# looks for "</script" and "<!--", and neither can appear once "<" is escaped.
# ">" and "&" are escaped too, so the text is also safe if it is ever moved
# into an attribute or another context. U+2028/9 are legal in JSON but not in
# older JavaScript string literals.
JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def iso_datetime(moment):
    """The instant as the page's ``<time datetime>`` shows it (``|date:'c'``):
    in site time, with its offset."""
    return dateformat.format(timezone.localtime(moment), "c")


def sharing_image(article):
    """The 16:9 crop (1200 pixels wide when the original allows) for sharing
    cards, or None."""
    image = article.featured_image
    return image.crop(SHARING_CROP) if image else None


def organization_id():
    return f"{settings.SITE_URL}/#organization"


def organization(site_pages=()):
    """The publisher, with links to the published site pages that describe it.

    ``site_pages`` are the published pages (anything with ``purpose`` and
    get_absolute_url()); the privacy page has no Organization property.
    """
    node = {
        "@type": "Organization",
        "@id": organization_id(),
        "name": settings.SITE_NAME,
        "url": f"{settings.SITE_URL}/",
        # Search engines want a raster logo of at least 112 pixels.
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static("feed-icon-512.png")),
            "width": 512,
            "height": 512,
        },
    }
    for page in site_pages:
        url = absolute_url(page.get_absolute_url())
        node |= dict.fromkeys(POLICY_PROPERTIES.get(page.purpose, ()), url)
        if page.purpose == "contact":
            node["contactPoint"] = {
                "@type": "ContactPoint",
                "contactType": "editorial",
                "url": url,
            }
    return node


def person(author):
    url = absolute_url(author.get_absolute_url())
    node = {"@type": "Person", "@id": f"{url}#person", "name": author.name, "url": url}
    if author.credentials:
        node["jobTitle"] = author.credentials
    return node


def images(article):
    image = article.featured_image
    if image is None:
        return []
    nodes = []
    for ratio in IMAGE_CROPS:
        if crop := image.crop(ratio):
            node = {
                "@type": "ImageObject",
                "url": absolute_url(crop.url),
                "width": crop.width,
                "height": crop.height,
            }
            if image.credit:
                node["creditText"] = image.credit
            nodes.append(node)
    return nodes


def citation(reference):
    """A ScholarlyArticle for a paper found by DOI or PubMed id, else a
    CreativeWork (a web page, a guideline, a patient leaflet)."""
    identifiers = [
        ("DOI", reference.doi, reference.doi_url),
        ("PMID", reference.pubmed_id, reference.pubmed_url),
    ]
    identifiers = [(kind, value, url) for kind, value, url in identifiers if value]
    node = {
        "@type": "ScholarlyArticle" if identifiers else "CreativeWork",
        "name": reference.title,
    }
    if reference.authors:
        # Typed as one string ("Kumar SK, Rajkumar SV, et al."): splitting it
        # into Persons would be guessing.
        node["author"] = reference.authors
    if reference.published_on:
        node["datePublished"] = reference.published_on.isoformat()
    elif reference.published_year:
        node["datePublished"] = str(reference.published_year)
    if reference.publisher:
        node["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if url := reference.url or next((url for _, _, url in identifiers), ""):
        node["url"] = url
    if identifiers:
        node["identifier"] = [
            {"@type": "PropertyValue", "propertyID": kind, "value": value}
            for kind, value, _ in identifiers
        ]
        node["sameAs"] = [url for _, _, url in identifiers]
    return node


def glossary_url():
    return absolute_url(reverse("glossary:index"))


def defined_term(term):
    """A glossary term (anything with name, url and definition_text, such as
    articles.glossary.linking.GlossaryTerm) as a schema.org DefinedTerm."""
    url = absolute_url(term.url)
    return {
        "@type": "DefinedTerm",
        "@id": f"{url}#term",
        "name": term.name,
        "description": term.definition_text,
        "url": url,
        "inDefinedTermSet": {"@id": f"{glossary_url()}#terms"},
    }


def defined_term_set(terms=()):
    """The site's glossary, with ``terms`` (DefinedTerm nodes) in it."""
    node = {
        "@type": "DefinedTermSet",
        "@id": f"{glossary_url()}#terms",
        "name": f"{settings.SITE_NAME} glossary",
        "url": glossary_url(),
        "inLanguage": get_language(),
    }
    if terms:
        node["hasDefinedTerm"] = list(terms)
    return node


def about(topic):
    # Thing, not MedicalCondition: a topic such as "Relapse" or "Living with
    # myeloma" is not always a condition, and nothing marks the ones that are.
    return {"@type": "Thing", "name": topic.name}


def blog_posting(article, url):
    node = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        "url": url,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": get_language(),
    }
    if crops := images(article):
        node["image"] = crops
    if article.published_at:
        node["datePublished"] = iso_datetime(article.published_at)
    if modified := article.last_changed_at:
        node["dateModified"] = iso_datetime(modified)
    if article.author:
        node["author"] = [person(article.author)]
    node["publisher"] = {"@id": organization_id()}
    if citations := article.citations():
        node["citation"] = citations
    if terms := article.defined_terms():
        node["mentions"] = [{"@id": term["@id"]} for term in terms]
    return node


def medical_web_page(article, url, review=None):
    node = {
        "@type": "MedicalWebPage",
        "@id": f"{url}#webpage",
        "url": url,
        "name": article.title,
        "description": article.summary,
        "inLanguage": get_language(),
        "audience": AUDIENCE,
        "mainEntity": {"@id": f"{url}#article"},
        "publisher": {"@id": organization_id()},
    }
    if topics := article.topics.all():
        node["about"] = [about(topic) for topic in topics]
    if review is not None:
        node["lastReviewed"] = review.reviewed_on.isoformat()
        node["reviewedBy"] = [person(review.reviewer)]
    return node


def article_graph(article, review=None, site_pages=()):
    """The JSON-LD document for an article's page, as Python data.

    Expects the article as the article views load it: author and featured image
    selected, topics and the image's renditions prefetched, and its
    references rendered (Article.reader_body).
    ``review`` is the MedicalReview readers are told about, if any (its
    reviewer selected); ``site_pages`` the published site pages, for the
    Organization.
    """
    url = absolute_url(article.get_absolute_url())
    graph = [
        medical_web_page(article, url, review),
        blog_posting(article, url),
        organization(site_pages),
    ]
    if terms := article.defined_terms():
        graph.append(defined_term_set(terms))
    return {"@context": "https://schema.org", "@graph": graph}


def glossary_graph(terms, site_pages=()):
    """The JSON-LD document for the glossary's A–Z index: the set, and
    ``terms`` (anything defined_term() takes) in it."""
    node = defined_term_set([defined_term(term) for term in terms])
    node["publisher"] = {"@id": organization_id()}
    return {
        "@context": "https://schema.org",
        "@graph": [node, organization(site_pages)],
    }


def term_graph(term, site_pages=()):
    """The JSON-LD document for a glossary term's page."""
    node = defined_term(term)
    node["inDefinedTermSet"] = defined_term_set()
    return {
        "@context": "https://schema.org",
        "@graph": [node, organization(site_pages)],
    }


def site_page_graph(page, site_pages=()):
    """The JSON-LD document for a site page (About, editorial policy, ...)."""
    url = absolute_url(page.get_absolute_url())
    node = {
        "@type": PAGE_TYPES.get(page.purpose, "WebPage"),
        "@id": f"{url}#webpage",
        "url": url,
        "name": page.title,
        "description": page.description,
        "inLanguage": get_language(),
        "dateModified": iso_datetime(page.updated_at),
        "publisher": {"@id": organization_id()},
    }
    if page.purpose == "about":
        node["mainEntity"] = {"@id": organization_id()}
    return {
        "@context": "https://schema.org",
        "@graph": [node, organization(site_pages)],
    }


def json_ld_script(data):
    """``data`` as one ``<script type="application/ld+json">`` element.

    Like django.utils.html.json_script, which only makes application/json.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # Escaped just above.
    )
