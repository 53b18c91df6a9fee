"""The glossary's pages, and how terms reach the article page, the feeds and
the structured data."""

import feedparser
import pytest
from django.core.management import call_command

from articles.glossary.models import Source, Term
from tests.test_structured_data import nodes, read

SITE = "https://blog.example.org"


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = SITE


def test_the_index_lists_every_term_under_its_letter(client, make_term, remission):
    make_term("Relapse")
    make_term("CAR-T")
    make_term("5q deletion", slug="5q-deletion")
    html = client.get("/glossary/").content.decode()
    # Letters first, then terms that start with a digit or a sign.
    headings = [html.index(f'<h2 id="letter-{x}">') for x in ("c", "r", "other")]
    assert headings == sorted(headings)
    for letter in ("C", "R", "#"):
        assert f">{letter}</a></li>" in html
    assert '<a href="/glossary/remission/">Remission</a>' in html
    assert "A time when the signs of cancer have gone away." in html


def test_the_index_is_in_alphabetical_order(client, make_term):
    for name in ("Relapse", "Antibody", "Myeloma"):
        make_term(name)
    html = client.get("/glossary/").content.decode()
    positions = [
        html.index(f">{name}</a></dt>") for name in ("Antibody", "Myeloma", "Relapse")
    ]
    assert positions == sorted(positions)


def test_a_term_page_shows_the_definition_explanation_forms_and_sources(
    client, remission
):
    remission.explanation = "<h2>Kinds</h2><p>Partial or complete.</p>"
    remission.save()
    Source.objects.create(
        term=remission,
        title="Myeloma remission",
        publisher="NCI",
        url="https://www.cancer.gov/x",
    )
    html = client.get("/glossary/remission/").content.decode()
    assert "<h1><dfn>Remission</dfn></h1>" in html
    assert "A time when the signs of cancer have gone away." in html
    assert "<h2>Kinds</h2><p>Partial or complete.</p>" in html
    assert "Also written: remissions" in html
    assert '<a href="https://www.cancer.gov/x">Myeloma remission</a>, NCI' in html


def test_an_unknown_term_is_not_found(client, db):
    assert client.get("/glossary/no-such-term/").status_code == 404


def test_the_term_page_is_a_defined_term_of_the_glossary(client, remission):
    graph = nodes(read(client, "/glossary/remission/").json_ld)
    assert graph["DefinedTerm"] == {
        "@type": "DefinedTerm",
        "@id": f"{SITE}/glossary/remission/#term",
        "name": "Remission",
        "description": "A time when the signs of cancer have gone away.",
        "url": f"{SITE}/glossary/remission/",
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "@id": f"{SITE}/glossary/#terms",
            "name": "Myeloma & Relapse Notes glossary",
            "url": f"{SITE}/glossary/",
            "inLanguage": "en-gb",
        },
    }


def test_the_index_is_the_defined_term_set(client, remission, make_term):
    make_term("Relapse")
    term_set = nodes(read(client, "/glossary/").json_ld)["DefinedTermSet"]
    assert [t["name"] for t in term_set["hasDefinedTerm"]] == ["Relapse", "Remission"]


def test_the_article_page_defines_its_terms(client, make_article, remission):
    article = make_article(body="<p>In remission. Still in remission.</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('href="#term-remission"') == 1
    assert '<h2 id="terms-heading">Words explained</h2>' in html
    assert '<a href="/glossary/remission/">More about “Remission”</a>' in html
    graph = nodes(read(client, article.get_absolute_url()).json_ld)
    assert graph["BlogPosting"]["mentions"] == [
        {"@id": f"{SITE}/glossary/remission/#term"}
    ]
    assert [t["name"] for t in graph["DefinedTermSet"]["hasDefinedTerm"]] == [
        "Remission"
    ]


def test_an_article_without_terms_has_no_term_set(client, make_article, remission):
    article = make_article(body="<p>Nothing to explain.</p>")
    graph = nodes(read(client, article.get_absolute_url()).json_ld)
    assert "DefinedTermSet" not in graph
    assert "mentions" not in graph["BlogPosting"]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feeds_link_the_term_to_its_page(client, make_article, remission, url):
    make_article(body="<p>In remission. Still in remission.</p>")
    [entry] = feedparser.parse(client.get(url).content).entries
    content = entry.content[0].value
    assert content.count("/glossary/remission/") == 1
    assert f'<a href="{SITE}/glossary/remission/">remission</a>' in content
    assert "term-remission" not in content


def test_the_json_feed_links_the_term_to_its_page(client, make_article, remission):
    make_article(body="<p>In remission.</p>")
    [item] = client.get("/feed.json").json()["items"]
    assert f'<a href="{SITE}/glossary/remission/">remission</a>' in item["content_html"]


def test_a_changed_term_reaches_readers_at_once(client, make_article, remission):
    article = make_article(body="<p>In remission.</p>")
    client.get(article.get_absolute_url())  # Kept by the page cache.
    remission.definition = "<p>Cancer held back for now.</p>"
    remission.save()
    assert (
        "Cancer held back for now."
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_the_sitemap_lists_the_glossary_and_each_term(client, remission):
    # Sitemaps name the host they are asked on (RequestSite).
    xml = client.get("/sitemap-glossary.xml").content.decode()
    assert "<loc>http://testserver/glossary/</loc>" in xml
    assert "<loc>http://testserver/glossary/remission/</loc>" in xml


def test_every_page_links_the_glossary(client, db):
    html = client.get("/glossary/").content.decode()
    assert '<a href="/glossary/" aria-current="page">Glossary</a>' in html


def test_the_demo_ships_about_twenty_terms_that_its_articles_use(client, db):
    call_command("load_demo_content", stdout=None)
    assert Term.objects.count() == 20
    html = client.get("/glossary/remission/").content.decode()
    assert "<h1><dfn>Remission</dfn></h1>" in html


def test_removing_the_demo_removes_its_untouched_terms(db):
    call_command("load_demo_content", stdout=None)
    changed = Term.objects.get(slug="remission")
    changed.definition = "<p>Our own words.</p>"
    changed.save()
    call_command("remove_demo_content", stdout=None)
    assert list(Term.objects.values_list("slug", flat=True)) == ["remission"]
