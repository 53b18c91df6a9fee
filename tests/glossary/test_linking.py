"""The first use of each glossary term in an article links to its definition,
when the article is saved: whole words, any case, other forms, and never in
headings, links or citations."""

import re

from articles.glossary.models import Term
from articles.models import Article


def term_links(article):
    article.refresh_from_db()
    return re.findall(
        r'<a class="term" href="#term-([\w-]+)"[^>]*>([^<]*)</a>', article.body_html
    )


def test_the_first_use_links_and_the_second_does_not(make_article, remission):
    article = make_article(body="<p>Remission can last years.</p><p>A remission.</p>")
    assert term_links(article) == [("remission", "Remission")]
    assert article.body_html.endswith("<p>A remission.</p>")


def test_other_forms_and_any_case_link(make_article, remission):
    article = make_article(body="<p>Two REMISSIONS so far.</p>")
    assert term_links(article) == [("remission", "REMISSIONS")]


def test_only_whole_words_link(make_article, remission):
    article = make_article(body="<p>Remissionless, pre-remission, xremission.</p>")
    assert term_links(article) == []


def test_the_longer_of_two_overlapping_terms_wins(make_article, make_term):
    make_term("Stem cell")
    make_term("Stem cell transplant")
    article = make_article(body="<p>A stem cell transplant uses a stem cell.</p>")
    assert term_links(article) == [
        ("stem-cell-transplant", "stem cell transplant"),
        ("stem-cell", "stem cell"),
    ]


def test_headings_links_and_citations_are_left_alone(
    make_article, make_reference, remission
):
    article = make_article(
        body="<h2>Remission</h2><h3>In remission</h3>"
        '<p><a href="https://example.org/remission">remission explained</a> '
        '<a href="https://ashpublications.org/blood/article/example">remission</a>'
        "</p><p>Then remission.</p>"
    )
    make_reference(article)
    assert term_links(article) == [("remission", "remission")]
    assert '<h2 id="remission">Remission</h2>' in article.body_html
    assert article.body_html.endswith(
        '<p>Then <a class="term" href="#term-remission" id="term-remission-use" '
        'aria-describedby="term-remission-definition">remission</a>.</p>'
    )


def test_the_definition_is_stored_beside_the_body(make_article, remission):
    article = make_article(body="<p>In remission.</p>")
    article.refresh_from_db()
    assert '<div id="term-remission">' in article.terms_html
    assert (
        '<dd id="term-remission-definition"><p>A time when the signs of cancer '
        "have gone away.</p></dd>" in article.terms_html
    )
    assert 'href="#term-remission-use"' in article.terms_html
    assert article.defined_terms()[0]["name"] == "Remission"


def test_an_article_without_terms_stores_no_list(make_article, remission):
    article = make_article(body="<p>Nothing to explain.</p>")
    article.refresh_from_db()
    assert (article.terms_html.strip(), article.defined_terms()) == ("", [])


def test_a_heading_cannot_take_a_term_id(make_article, remission):
    make_article(body="<h2>Term remission</h2><p>remission</p>")
    assert '<h2 id="section-term-remission">' in Article.objects.get().body_html


def test_a_new_term_links_the_articles_that_use_it(make_article, make_term):
    uses = make_article(body="<p>After CAR-T therapy.</p>")
    other = make_article(body="<p>Nothing here.</p>")
    other_stored = Article.objects.get(pk=other.pk).modified_at
    make_term("CAR-T")
    assert term_links(uses) == [("car-t", "CAR-T")]
    assert Article.objects.get(pk=other.pk).modified_at == other_stored


def test_a_changed_definition_reaches_the_articles_that_use_it(make_article, remission):
    article = make_article(body="<p>In remission.</p>")
    remission.definition = "<p>Signs of cancer <em>gone</em> for now.</p>"
    remission.save()
    article.refresh_from_db()
    assert "<p>Signs of cancer <em>gone</em> for now.</p>" in article.terms_html
    assert "gone for now" in article.defined_terms()[0]["description"]


def test_a_renamed_term_moves_its_links(make_article, remission):
    article = make_article(body="<p>In remission.</p>")
    remission.slug = "remission-cancer"
    remission.save()
    assert term_links(article) == [("remission-cancer", "remission")]


def test_a_form_taken_away_unlinks_it(make_article, remission):
    article = make_article(body="<p>Two remissions.</p>")
    remission.other_forms = ""
    remission.save()
    assert term_links(article) == []


def test_a_deleted_term_is_unlinked(make_article, remission):
    article = make_article(body="<p>In remission.</p>")
    remission.delete()
    assert term_links(article) == []
    assert article.terms_html.strip() == ""


def test_rebuilding_many_articles_reads_the_glossary_once(
    make_article, remission, django_assert_num_queries
):
    for _ in range(3):
        make_article(body="<p>In remission.</p>")
    # The glossary, the broken links, the articles, their references, and
    # the update.
    with django_assert_num_queries(5):
        Article.objects.all().rebuild_bodies()


def test_definitions_keep_only_paragraphs_and_emphasis(make_term):
    term = make_term(
        "Relapse",
        definition='<h2>No</h2><p><a href="https://x.org">Short</a> and <em>plain</em>'
        '<img src="x.png">.</p><script>x()</script>',
    )
    assert Term.objects.get(pk=term.pk).definition == (
        "No<p>Short and <em>plain</em>.</p>"
    )
