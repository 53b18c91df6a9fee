from articles.models.articles import Article, ArticleQuerySet, SlugRedirect, Status
from articles.models.authors import Author
from articles.models.images import Image, Rendition
from articles.models.references import Reference, validate_doi, validate_pubmed_id
from articles.models.search import SearchWord
from articles.models.taxonomy import Tag, Topic
from articles.models.workflow import ChangeNote, MedicalReview, Transition

__all__ = [
    "Article",
    "ChangeNote",
    "MedicalReview",
    "ArticleQuerySet",
    "Author",
    "Image",
    "Reference",
    "Rendition",
    "SearchWord",
    "SlugRedirect",
    "Status",
    "Tag",
    "Topic",
    "Transition",
    "validate_doi",
    "validate_pubmed_id",
]
