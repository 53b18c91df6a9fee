import pytest

from articles.glossary.models import Term


@pytest.fixture
def make_term(db):
    def make(term, other_forms="", definition=None, **fields):
        return Term.objects.create(
            term=term,
            slug=fields.pop("slug", term.lower().replace(" ", "-")),
            other_forms=other_forms,
            definition=definition or f"<p>What {term.lower()} means.</p>",
            **fields,
        )

    return make


@pytest.fixture
def remission(make_term):
    return make_term(
        "Remission",
        other_forms="remissions",
        definition="<p>A time when the signs of cancer have gone away.</p>",
    )
