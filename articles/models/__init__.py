import reversion

from articles.models.articles import (
    EARLIEST_PUBLISH_TIME,
    Article,
    ArticleQuerySet,
    SlugRedirect,
    Status,
)
from articles.models.authors import Author
from articles.models.editorial import (
    ChangeNote,
    MedicalReview,
    PendingChange,
    Transition,
)
from articles.models.links import Link, LinkCheck, LinkState, SourceToFix
from articles.models.plain_language import PlainerWord
from articles.models.references import Reference, validate_doi, validate_pubmed_id
from articles.models.search import SearchWord
from articles.models.stored_pages import StoredPage
from articles.models.taxonomy import Tag, Topic

__all__ = [
    "EARLIEST_PUBLISH_TIME",
    "Article",
    "ChangeNote",
    "MedicalReview",
    "PendingChange",
    "PlainerWord",
    "ArticleQuerySet",
    "Author",
    "Link",
    "LinkCheck",
    "LinkState",
    "Reference",
    "SearchWord",
    "SlugRedirect",
    "SourceToFix",
    "StoredPage",
    "Status",
    "Tag",
    "Topic",
    "Transition",
    "validate_doi",
    "validate_pubmed_id",
]

# One revision holds the article (with its topics, tags and image, which are its
# own fields) and its references, so that restoring an old version, or
# recovering a deleted article, brings them back together. Slug redirects and
# change notes stay out: a restore must neither revive an old address's
# redirect nor take back a public correction note. Registered here, when the
# models load, because the admin's VersionAdmin would otherwise register the
# article with every inline it has.
reversion.register(Article, follow=["references"])
reversion.register(Reference)
