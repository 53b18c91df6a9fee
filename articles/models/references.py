"""The sources an article cites."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from articles.models.articles import Article

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
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[validate_doi])
    pubmed_id = models.CharField(
        "PubMed id", max_length=12, blank=True, validators=[validate_pubmed_id]
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
