from html.parser import HTMLParser

import pytest

from articles.body import normalize_url, render_body
from articles.models import Reference, Status

MMRF = "https://themmrf.org/multiple-myeloma/relapsed/"
BLOOD = "https://ashpublications.org/blood/article/1"


class Page(HTMLParser):
    """The parts of an article page these tests look at, read with a parser."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = {}  # id -> (tag, attrs, text)
        self.links = []  # (attrs, text) for every <a>
        self._open = []  # [tag, attrs, text parts] for elements still open
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "meta", "link", "input"}:
            return
        self._open.append([tag, dict(attrs), []])

    def handle_endtag(self, tag):
        while self._open:
            open_tag, attrs, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if self._open:  # The parent's text includes its children's.
                self._open[-1][2].append("".join(parts))
            if "id" in attrs:
                self.elements[attrs["id"]] = (open_tag, attrs, text)
            if open_tag == "a":
                self.links.append((attrs, text))
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def text(self, element_id):
        return self.elements[element_id][2]

    def citations(self):
        return [
            (a["href"], a["id"], t) for a, t in self.links if "cite-" in a.get("id", "")
        ]

    def backlinks(self):
        return [
            (a["href"], a["aria-label"], t)
            for a, t in self.links
            if "backlink" in a.get("class", "")
        ]


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return Page(response.content.decode())


@pytest.fixture
def cited_article(make_article, make_reference):
    """Two references; the body cites the second, then the first twice."""
    article = make_article(
        body=(
            "<p>Targeted drugs help "
            f'<a href="{BLOOD}/">in many relapses</a>. '
            f'The <a href="http://www.themmrf.org/multiple-myeloma/relapsed#top">MMRF '
            "overview of relapse</a> explains the tests, "
            f'<a href="{MMRF.rstrip("/")}">and what they mean</a>. '
            '<a href="https://www.cancer.gov/">The NCI</a> has more.</p>'
        )
    )
    make_reference(
        article, title="Relapsed myeloma", url=MMRF, doi="", pubmed_id="", position=1
    )
    make_reference(article, title="Targeted therapy", url=BLOOD, position=2)
    return article


def test_citation_numbers_match_the_references_list(client, cited_article):
    html = page(client, cited_article)
    assert "Relapsed myeloma" in html.text("ref-1")
    assert "Targeted therapy" in html.text("ref-2")
    # Trailing slash, http, "www." and a fragment do not stop a match.
    assert html.citations() == [
        ("#ref-2", "cite-2-1", "2"),
        ("#ref-1", "cite-1-1", "1"),
        ("#ref-1", "cite-1-2", "1"),
    ]


def test_a_link_to_no_reference_gets_no_number(client, cited_article):
    response = client.get(cited_article.get_absolute_url())
    html = response.content.decode()
    assert (
        '<a href="https://www.cancer.gov/" rel="noopener noreferrer">The NCI</a> '
        "has more."
    ) in html


def test_citations_are_announced_as_references(client, cited_article):
    html = client.get(cited_article.get_absolute_url()).content.decode()
    assert (
        '<sup class="cite"><a href="#ref-2" id="cite-2-1" aria-label="Reference 2">'
        "2</a></sup>"
    ) in html


def test_each_reference_links_back_to_every_place_that_cites_it(client, cited_article):
    html = page(client, cited_article)
    assert html.backlinks() == [
        ("#cite-1-1", "Back to citation 1 in the text, place 1 of 2", "↩a"),
        ("#cite-1-2", "Back to citation 1 in the text, place 2 of 2", "↩b"),
        ("#cite-2-1", "Back to citation 2 in the text", "↩"),
    ]
    # Every back-link lands on a citation in the body.
    for href, _, _ in html.backlinks():
        assert html.elements[href[1:]][1]["href"].startswith("#ref-")


def test_an_uncited_reference_has_no_backlink(client, cited_article, make_reference):
    make_reference(
        cited_article, title="Never cited", url="https://example.org/", position=3
    )
    html = page(client, cited_article)
    assert "Never cited" in html.text("ref-3")
    assert all("citation 3" not in label for _, label, _ in html.backlinks())


def test_doi_and_pubmed_links_cite_their_reference():
    reference = Reference(title="Paper", doi="10.1182/blood.2020008805", pubmed_id="1")
    body = render_body(
        '<p><a href="https://doi.org/10.1182/blood.2020008805">A</a>'
        '<a href="https://pubmed.ncbi.nlm.nih.gov/1">B</a></p>',
        [reference],
    )
    assert [c.id for c in body.references[0].citations] == ["cite-1-1", "cite-1-2"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://example.org/a/", "http://example.org/a", True),
        ("https://www.example.org/a", "https://EXAMPLE.org/a#x", True),
        ("https://example.org:443/", "https://example.org", True),
        ("https://example.org/a", "https://example.org/b", False),
        ("https://example.org/a?id=1", "https://example.org/a?id=2", False),
    ],
)
def test_trivial_address_differences_are_ignored(a, b, same):
    assert (normalize_url(a) == normalize_url(b)) is same


@pytest.mark.parametrize("url", ["mailto:a@example.org", "/relative", "", "http://:x"])
def test_non_web_addresses_never_match(url):
    assert normalize_url(url) is None


def test_body_text_stays_escaped_and_only_allowed_markup_survives():
    # Not what the sanitized field can store; the builder must not trust it.
    body = render_body(
        '<h2>A &lt;b&gt; &amp; c</h2><p onclick="x()">Hi<script>alert(1)</script>'
        '<a href="https://example.org/" style="x" title="&quot;t">x</a></p>',
        [],
    )
    assert body.html == (
        '<h2 id="a-b-c">A &lt;b&gt; &amp; c</h2><p>Hialert(1)'
        '<a href="https://example.org/" title="&quot;t">x</a></p>'
    )
    assert body.headings[0].text == "A <b> & c"


def test_a_body_read_away_from_its_page_has_absolute_addresses_and_no_ids():
    page = "https://blog.example.org/articles/after-relapse/"
    body = render_body(
        f'<h2>Why</h2><p><a href="{MMRF}">MMRF</a> <a href="/topics/relapse/">'
        'topic</a> <a href=" sister/">sister</a> <a href="#why">why</a></p>',
        [Reference(title="Relapsed myeloma", url=MMRF)],
        base_url=page,
    )
    assert body.html == (
        f'<h2>Why</h2><p><a href="{MMRF}">MMRF</a><sup class="cite">'
        f'<a href="{page}#ref-1" aria-label="Reference 1">1</a></sup> '
        '<a href="https://blog.example.org/topics/relapse/">topic</a> '
        f'<a href="{page}sister/">sister</a> <a href="{page}#why">why</a></p>'
    )


def h2s(*texts):
    return "".join(f"<h2>{text}</h2><p>Some words.</p>" for text in texts)


def test_contents_appear_from_three_headings_and_point_at_them(client, make_article):
    article = make_article(body=h2s("Symptoms", "Tests", "<em>Next</em> steps"))
    response = client.get(article.get_absolute_url())
    html = Page(response.content.decode())
    nav = response.content.decode().split('<nav class="toc"')[1].split("</nav>")[0]
    toc = [(a["href"], text) for a, text in Page(nav).links]
    assert toc == [
        ("#symptoms", "Symptoms"),
        ("#tests", "Tests"),
        ("#next-steps", "Next steps"),
    ]
    for href, text in toc:
        assert html.elements[href[1:]] == ("h2", {"id": href[1:]}, text)
    assert '<nav class="toc" aria-labelledby="contents-heading">' in (
        response.content.decode()
    )
    assert html.text("contents-heading") == "Contents"


def test_no_contents_with_two_headings(client, make_article):
    article = make_article(body=h2s("Symptoms", "Tests") + "<h3>Not counted</h3>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="toc"' not in html
    assert '<h2 id="symptoms">Symptoms</h2>' in html


def test_repeated_headings_get_unique_ids():
    body = render_body(h2s("Questions", "Questions", "questions!", "", "Ref 2"), [])
    assert [h.id for h in body.headings] == [
        "questions",
        "questions-2",
        "questions-3",
        "section",
        # The page's own ids (ref-N, cite-N-k, references-heading…) stay free.
        "section-ref-2",
    ]


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (40, 1), (450, 2), (1000, 5), (1390, 7)]
)
def test_reading_time_at_200_words_a_minute(words, minutes):
    # Split across tags as the editor does; block ends separate words.
    half = words // 2
    html = f"<p>{'word ' * half}</p><ul><li>{'word ' * (words - half)}</li></ul>"
    assert render_body(html, []).reading_minutes == minutes


def test_words_are_split_between_blocks_not_inside_inline_markup():
    body = render_body("<p>one</p><p>t<em>w</em>o<br>three</p><h2>four</h2>", [])
    assert body.words == 4


def test_page_shows_reading_time(client, make_article):
    article = make_article(body=f"<p>{'word ' * 1200}</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="reading-time">6 min read</p>' in html


def test_preview_shows_citations_contents_and_related(
    admin_client, cited_article, make_article, topic
):
    draft = make_article(
        status=Status.DRAFT, body=cited_article.body + h2s("A", "B", "C")
    )
    for reference in cited_article.references.all():
        reference.pk = None
        reference.article = draft
        reference.save()
    draft.topics.add(topic)
    cited_article.topics.add(topic)
    html = Page(admin_client.get(draft.get_preview_url()).content.decode())
    assert [c[1] for c in html.citations()] == ["cite-2-1", "cite-1-1", "cite-1-2"]
    assert html.text("contents-heading") == "Contents"
    assert html.text("related-heading") == "Related articles"
