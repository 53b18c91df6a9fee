"""DOIs and PubMed ids are stored bare, however editors paste them."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Reference
from tests.admin_form import ADD_ARTICLE, article_form

DOI = "10.1182/blood.2020008805"
PMID = "32649747"
PASTED_DOIS = [
    f"https://doi.org/{DOI}",
    f"http://dx.doi.org/{DOI}",
    f"HTTPS://DX.DOI.ORG/{DOI}",
    f"doi.org/{DOI}",
    f"doi:{DOI}",
    f"DOI: {DOI}",
    f"  doi : {DOI}  ",
    f" {DOI} ",
]
PASTED_PMIDS = [
    f"PMID: {PMID}",
    f"pmid:{PMID}",
    f"  PMID {PMID} ",
    f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/",
    f"https://www.ncbi.nlm.nih.gov/pubmed/{PMID}",
    f" {PMID}",
]


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.mark.parametrize("pasted", PASTED_DOIS)
def test_doi_keeps_only_the_doi(article, pasted):
    reference = Reference.objects.create(article=article, title="Paper", doi=pasted)
    assert reference.doi == DOI
    reference.refresh_from_db()
    assert reference.doi == DOI
    assert reference.doi_url == f"https://doi.org/{DOI}"


@pytest.mark.parametrize("pasted", PASTED_PMIDS)
def test_pubmed_id_keeps_only_the_digits(article, pasted):
    reference = Reference.objects.create(
        article=article, title="Paper", pubmed_id=pasted
    )
    reference.refresh_from_db()
    assert reference.pubmed_id == PMID


def test_a_link_with_escaped_characters_gives_the_doi_as_written(article):
    reference = Reference.objects.create(
        article=article,
        title="IMWG response criteria",
        doi="https://doi.org/10.1016/S1470-2045%2816%2930206-6",
    )
    reference.refresh_from_db()
    assert reference.doi == "10.1016/S1470-2045(16)30206-6"


def test_full_clean_validates_the_cleaned_value(article):
    reference = Reference(
        article=article, title="Paper", doi=f"DOI: {DOI}", pubmed_id=f"PMID: {PMID}"
    )
    reference.full_clean()
    assert (reference.doi, reference.pubmed_id) == (DOI, PMID)


def test_bulk_writes_are_cleaned_too(article):
    [reference] = Reference.objects.bulk_create(
        [Reference(article=article, title="Paper", doi=f"doi:{DOI}")]
    )
    assert Reference.objects.get().doi == DOI
    Reference.objects.update(doi=f"https://doi.org/{DOI}", pubmed_id=f"PMID:{PMID}")
    assert Reference.objects.values_list("doi", "pubmed_id").get() == (DOI, PMID)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("doi", "doi: not-a-doi", "Enter a DOI such as"),
        ("doi", "https://example.org/10.1182/x", "Enter a DOI such as"),
        ("pubmed_id", "PMCID: PMC7367191", "Enter a PubMed id"),
        ("pubmed_id", "PMID: 12ab", "Enter a PubMed id"),
    ],
)
def test_what_is_not_a_doi_or_pubmed_id_is_still_refused(
    article, field, value, message
):
    reference = Reference(article=article, title="Paper", **{field: value})
    with pytest.raises(ValidationError) as refused:
        reference.full_clean()
    assert message in refused.value.message_dict[field][0]


def test_the_admin_form_stores_pasted_links_bare(admin_client):
    data = article_form()
    data["references-1-doi"] = f"https://doi.org/{DOI}"
    data["references-1-pubmed_id"] = f"PMID: {PMID}"
    response = admin_client.post(ADD_ARTICLE, data)
    assert response.status_code == 302, response.context["errors"]
    paper = Article.objects.get().references.get(publisher="Blood")
    assert (paper.doi, paper.pubmed_id) == (DOI, PMID)
    page = admin_client.get(paper.article.get_preview_url()).content.decode()
    assert f'href="https://doi.org/{DOI}"' in page
    assert "doi.org/https" not in page


def test_the_admin_form_refuses_a_bad_doi_and_keeps_what_was_typed(admin_client):
    data = article_form()
    data["references-1-doi"] = "doi: 11.2/x"
    response = admin_client.post(ADD_ARTICLE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "Enter a DOI such as" in html
    assert 'value="doi: 11.2/x"' in html
