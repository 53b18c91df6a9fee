"""Editors keep the glossary in the admin, and see on the article form which
terms the text will link."""

from django.urls import reverse

from articles.glossary.models import Term
from tests.admin_form import change_url

ADD_TERM = reverse("admin:glossary_term_add")


def term_form(**fields):
    return {
        "term": "Refractory",
        "slug": "refractory",
        "other_forms": "",
        "definition": "<p>Cancer that does not respond to a treatment.</p>",
        "explanation": "",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-title": "Refractory myeloma",
        "sources-0-publisher": "NCI",
        "sources-0-url": "https://www.cancer.gov/",
        "sources-0-position": "1",
    } | fields


def test_an_editor_adds_a_term_with_a_source(client, editor):
    client.force_login(editor)
    response = client.post(ADD_TERM, term_form())
    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.term, term.sources.get().publisher) == ("Refractory", "NCI")


def test_the_definition_is_sanitized(admin_client):
    admin_client.post(
        ADD_TERM,
        term_form(
            definition='<p onclick="x()">Plain <b>words</b><script>x</script></p>'
        ),
    )
    assert Term.objects.get().definition == "<p>Plain words</p>"


def test_a_long_definition_is_refused_with_the_reason(admin_client):
    response = admin_client.post(
        ADD_TERM, term_form(definition="<p>" + "word " * 70 + "</p>")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["definition"] == [
        "Keep the definition to 300 characters: put the rest in the explanation."
    ]
    assert not Term.objects.exists()


def test_words_another_term_links_are_refused(admin_client, make_term):
    make_term("Relapse", other_forms="relapsed")
    response = admin_client.post(
        ADD_TERM, term_form(other_forms="Relapsed\nrefractoriness")
    )
    assert response.context["adminform"].form.errors["other_forms"] == [
        "Another term already links these words: “Relapsed” (Relapse). A word can "
        "lead to one definition only."
    ]


def test_authors_cannot_change_the_glossary(client, writer):
    client.force_login(writer)
    assert client.get(ADD_TERM).status_code == 403


def test_the_article_form_lists_the_terms_the_text_will_link(
    admin_client, make_article, remission, make_term
):
    make_term("Relapse")
    article = make_article(body="<p>After a relapse, remission again.</p>")
    html = admin_client.get(change_url(article)).content.decode()
    assert (
        '<a href="/glossary/relapse/">Relapse</a>, '
        '<a href="/glossary/remission/">Remission</a>' in html
    )


def test_the_article_form_says_when_no_term_will_link(admin_client, make_article):
    article = make_article(body="<p>Nothing to explain.</p>")
    html = admin_client.get(change_url(article)).content.decode()
    assert "None: no word of the text is in the glossary." in html


def test_the_term_form_lists_the_articles_that_link_it(
    admin_client, make_article, remission
):
    article = make_article(title="Life in remission", body="<p>In remission.</p>")
    other = make_article(body="<p>Nothing to explain.</p>")
    url = reverse("admin:glossary_term_change", args=[remission.pk])
    html = admin_client.get(url).content.decode()
    assert f'<a href="{change_url(article)}">Life in remission</a>' in html
    assert change_url(other) not in html
