"""The glossary: the words a worried reader may not know, each explained in
plain language on a page of its own, and linked from the first place an
article uses it (articles.glossary.linking)."""

from html import unescape

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from articles.fields import SanitizedDefinitionField, SanitizedHTMLField
from articles.glossary.linking import Glossary, GlossaryTerm
from articles.sanitize import clean_definition, clean_html

# Read in the middle of an article, and by screen readers as the link's
# description: a sentence or two.
DEFINITION_MAX_CHARACTERS = 300


def plain_text(html):
    """The words of an HTML fragment, on one line."""
    return " ".join(unescape(strip_tags(html)).split())


class TermQuerySet(models.QuerySet):
    def glossary(self):
        """These terms, compiled for linking in article bodies: one query."""
        terms = self.only("term", "slug", "other_forms", "definition")
        return Glossary((term.entry, term.forms) for term in terms)

    def by_initial(self):
        """[(letter, [terms])] in A–Z order, for the index."""
        letters = {}
        for term in self.order_by("term"):
            letters.setdefault(term.initial, []).append(term)
        return sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))


class Term(models.Model):
    term = models.CharField(
        max_length=100,
        unique=True,
        help_text="The word or phrase as a heading shows it: “Remission”, "
        "“CAR-T cell therapy”.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The term’s address: “remission” makes /glossary/remission/.",
    )
    other_forms = models.TextField(
        blank=True,
        help_text="Other ways articles write it, one per line: plurals, other "
        "spellings, abbreviations (“plasma cells”, “CAR T”). Articles link the "
        "first use of the term or any of these, whatever its capitals.",
    )
    definition = SanitizedDefinitionField(
        help_text="One or two plain sentences that a reader with no medical "
        f"training understands ({DEFINITION_MAX_CHARACTERS} characters at "
        "most). Articles show it beside the text.",
    )
    explanation = SanitizedHTMLField(
        blank=True,
        help_text="Optional: more about the term, for its own page.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("glossary:term", kwargs={"slug": self.slug})

    @property
    def forms(self):
        """Every way of writing the term that articles link, the term first."""
        forms = [self.term, *self.other_forms.splitlines()]
        return list(dict.fromkeys(" ".join(f.split()) for f in forms if f.strip()))

    @property
    def entry(self):
        """What an article that uses the term stores of it."""
        return GlossaryTerm(
            name=self.term,
            slug=self.slug,
            url=self.get_absolute_url(),
            definition_html=str(self.definition_html),
            definition_text=self.definition_text,
        )

    @property
    def definition_html(self):
        # Cleaned again for rows written around the model, as site pages are.
        return mark_safe(clean_definition(self.definition))

    @property
    def definition_text(self):
        return plain_text(self.definition)

    @property
    def explanation_html(self):
        return mark_safe(clean_html(self.explanation))

    @property
    def initial(self):
        """The letter the A–Z index files the term under; "#" for a digit or sign."""
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"

    def clean(self):
        if len(plain_text(clean_definition(self.definition))) > (
            DEFINITION_MAX_CHARACTERS
        ):
            raise ValidationError(
                {
                    "definition": "Keep the definition to "
                    f"{DEFINITION_MAX_CHARACTERS} characters: put the rest in "
                    "the explanation."
                }
            )
        taken = {}
        for other in Term.objects.exclude(pk=self.pk):
            for form in other.forms:
                taken[form.casefold()] = other
        clashes = sorted(
            f"“{form}” ({taken[form.casefold()]})"
            for form in self.forms
            if form.casefold() in taken
        )
        if clashes:
            raise ValidationError(
                {
                    "other_forms": "Another term already links these words: "
                    + ", ".join(clashes)
                    + ". A word can lead to one definition only."
                }
            )


class Source(models.Model):
    """Where the definition comes from, listed on the term's page."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
