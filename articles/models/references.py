"""The sources an article cites."""

import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from articles.models.articles import Article

# What editors paste around a DOI or a PubMed id: the resolver's address, or a
# label as journals print it ("doi:10.1182/…", "PMID: 32649747").
DOI_LINK = re.compile(r"^(?:https?://)?(?:www\.)?(?:dx\.)?doi\.org/", re.IGNORECASE)
DOI_LABEL = re.compile(r"^doi\s*:?", re.IGNORECASE)
PUBMED_LINK = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)"
    r"(?P<id>\d+)/?$",
    re.IGNORECASE,
)
PUBMED_LABEL = re.compile(r"^pmid\s*:?", re.IGNORECASE)
PASTED_MAX_LENGTH = 300


def clean_doi(value):
    """The DOI alone from a doi.org link or a "doi:" label; anything else as typed."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if link := DOI_LINK.match(value):
        # Links escape some of a DOI's characters: 10.1016/S1470-2045%2816%2930206-6.
        return unquote(value[link.end() :]).strip()
    if label := DOI_LABEL.match(value):
        return value[label.end() :].strip()
    return value


def clean_pubmed_id(value):
    """The digits alone from a PubMed link or a "PMID:" label; anything else as typed."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if link := PUBMED_LINK.match(value):
        return link["id"]
    if label := PUBMED_LABEL.match(value):
        return value[label.end() :].strip()
    return value


class CleanedCharField(models.CharField):
    """Text tidied by ``cleaned()`` on every write, as SanitizedHTMLField is:
    ``to_python`` for forms and ``full_clean()``, ``pre_save`` for ``save()``
    and ``create()``, ``get_db_prep_save`` for ``update()`` and ``bulk_create()``.
    """

    @staticmethod
    def cleaned(value):
        return value

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        # The cleaning is behaviour, not schema: migrations see a CharField.
        return name, "django.db.models.CharField", args, kwargs

    def to_python(self, value):
        return self.cleaned(super().to_python(value))

    def formfield(self, **kwargs):
        # Room in the form for what is pasted (a PubMed link is 41 characters
        # for an 8-digit id); the model checks max_length after cleaning.
        return super().formfield(**{"max_length": PASTED_MAX_LENGTH, **kwargs})

    def pre_save(self, model_instance, add):
        value = self.cleaned(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(self.cleaned(value), connection)


class DOIField(CleanedCharField):
    cleaned = staticmethod(clean_doi)


class PubMedIdField(CleanedCharField):
    cleaned = staticmethod(clean_pubmed_id)


validate_doi = RegexValidator(
    r"^10\.\d{4,9}/\S+$",
    "Enter a DOI such as 10.1182/blood.2020008805 (without https://doi.org/).",
    code="invalid_doi",
)
validate_pubmed_id = RegexValidator(
    r"^[1-9]\d{0,8}$",
    "Enter a PubMed id: digits only, such as 32649747.",
    code="invalid_pmid",
)


class Reference(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text="Order in the list: lower numbers come first. Leave 0 to add at "
        "the end.",
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Journal or organisation, e.g. “Blood” or “Multiple Myeloma "
        "Research Foundation”.",
    )
    url = models.URLField("link", max_length=500, blank=True)
    authors = models.CharField(
        max_length=500, blank=True, help_text="E.g. “Kumar SK, Rajkumar SV, et al.”"
    )
    published_on = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="If only the year is known, leave empty and fill in the year.",
    )
    published_year = models.PositiveSmallIntegerField(
        "publication year", null=True, blank=True
    )
    doi = DOIField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
    )
    pubmed_id = PubMedIdField(
        "PubMed id",
        max_length=12,
        blank=True,
        validators=[validate_pubmed_id],
    )
    accessed_on = models.DateField("date accessed", null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if not (self.url or self.doi or self.pubmed_id):
            raise ValidationError(
                "Give a link, a DOI or a PubMed id so readers can find the source."
            )
        if (
            self.published_on
            and self.published_year
            and self.published_on.year != self.published_year
        ):
            raise ValidationError(
                {"published_year": "The year does not match the publication date."}
            )

    @property
    def year(self):
        return self.published_on.year if self.published_on else self.published_year

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return (
            f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/"
            if self.pubmed_id
            else ""
        )
