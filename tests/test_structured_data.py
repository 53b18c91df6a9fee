"""What search engines and sharing cards read: head tags and the JSON-LD graph."""

import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import MedicalReview, Status, Tag
from articles.pages.models import Page, Purpose
from articles.structured_data import POLICY_PROPERTIES, article_graph
from tests.conftest import image_bytes

SITE_URL = "https://notes.example.org"
HOSTILE_TITLE = '</script><script>alert(1)</script> & "quotes"'


class HeadReader(HTMLParser):
    """The parts of a page crawlers read, as a browser's parser finds them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # [type, text] for every <script>
        self.meta = {}  # property or name -> content
        self.meta_tags = []
        self.canonical = []
        self.times = []  # datetime attributes of <time> in the article header
        self.in_header = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append([attrs.get("type"), ""])
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta_tags.append(key)
            self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "header" and "article-header" in (attrs.get("class") or ""):
            self.in_header = True
        elif tag == "time" and self.in_header:
            self.times.append(attrs["datetime"])

    def handle_endtag(self, tag):
        if tag == "header":
            self.in_header = False

    def handle_data(self, data):
        # Script content is raw text to the parser, so it arrives here whole.
        if self.lasttag == "script" and self.scripts:
            self.scripts[-1][1] += data

    @property
    def json_ld(self):
        blocks = [text for kind, text in self.scripts if kind == "application/ld+json"]
        assert len(blocks) == 1, self.scripts
        return json.loads(blocks[0])


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return HeadReader(response.content.decode())


def nodes(document):
    """The graph's nodes by type; each type appears once."""
    assert document["@context"] == "https://schema.org"
    by_type = {node["@type"]: node for node in document["@graph"]}
    assert len(by_type) == len(document["@graph"])
    return by_type


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Myeloma & Relapse Notes"


@pytest.fixture
def wide_image(make_image):
    # Wide enough for the 1200-pixel sharing crops.
    return make_image(
        file=ContentFile(image_bytes(size=(1600, 1000)), name="clinic.jpg"),
        alt_text="A nurse talks with a patient in a clinic room",
    )


@pytest.fixture
def article(make_article, make_reference, wide_image, author, topic):
    article = make_article(
        title="Treatment after a myeloma relapse",
        slug="treatment-after-relapse",
        summary="Why the next treatment depends on the last one.",
        published_at=datetime(2023, 5, 5, 14, 0, tzinfo=UTC),
        updated_at=datetime(2024, 1, 9, 9, 30, tzinfo=UTC),
        featured_image=wide_image,
        author=author,
    )
    article.topics.add(topic)
    article.topics.create(name="Multiple myeloma", slug="multiple-myeloma")
    make_reference(
        article,
        position=1,
        title="Relapsed myeloma overview",
        authors="Kumar SK, Rajkumar SV, et al.",
        published_on=date(2020, 7, 13),
    )
    make_reference(
        article,
        position=2,
        title="Targeted drugs at relapse",
        publisher="Multiple Myeloma Research Foundation",
        url="https://themmrf.org/relapse/",
        doi="",
        pubmed_id="",
        published_year=2022,
    )
    make_reference(
        article,
        position=3,
        title="A trial found by its PubMed id alone",
        url="",
        doi="",
        pubmed_id="31234567",
    )
    return article


def page_url(article):
    return f"{SITE_URL}/articles/{article.slug}/"


def test_json_ld_has_every_field(client, article, author):
    graph = nodes(read(client, article.get_absolute_url()).json_ld)
    url = page_url(article)

    page = graph["MedicalWebPage"]
    assert page["@id"] == f"{url}#webpage"
    assert page["url"] == url
    assert page["name"] == "Treatment after a myeloma relapse"
    assert page["description"] == "Why the next treatment depends on the last one."
    assert page["inLanguage"] == "en-gb"
    assert page["about"] == [
        {"@type": "Thing", "name": "Multiple myeloma"},
        {"@type": "Thing", "name": "Relapse"},
    ]
    assert page["audience"] == {
        "@type": "PeopleAudience",
        "audienceType": "Patients and caregivers",
    }
    # No review is recorded, so none is claimed.
    assert "lastReviewed" not in page and "reviewedBy" not in page

    posting = graph["BlogPosting"]
    assert page["mainEntity"] == {"@id": posting["@id"]} == {"@id": f"{url}#article"}
    assert posting["mainEntityOfPage"] == {"@id": page["@id"]}
    assert posting["headline"] == "Treatment after a myeloma relapse"
    assert posting["description"] == "Why the next treatment depends on the last one."
    assert posting["datePublished"] == "2023-05-05T14:00:00+00:00"
    assert posting["dateModified"] == "2024-01-09T09:30:00+00:00"
    image = article.featured_image
    assert posting["image"] == [
        {
            "@type": "ImageObject",
            "url": SITE_URL + image.crop(ratio).url,
            "width": width,
            "height": height,
            "creditText": "Depositphotos / pressmaster",
        }
        for ratio, width, height in [
            ("16:9", 1200, 675),
            ("4:3", 1200, 900),
            ("1:1", 1000, 1000),
        ]
    ]
    assert posting["author"] == [
        {
            "@type": "Person",
            "@id": f"{SITE_URL}/authors/dana-whitfield/#person",
            "name": "Dana Whitfield",
            "url": f"{SITE_URL}/authors/dana-whitfield/",
            "jobTitle": "RN, oncology nurse",
        }
    ]
    assert [c["name"] for c in posting["citation"]] == [
        "Relapsed myeloma overview",
        "Targeted drugs at relapse",
        "A trial found by its PubMed id alone",
    ]

    organization = graph["Organization"]
    assert posting["publisher"] == page["publisher"] == {"@id": organization["@id"]}
    assert organization == {
        "@type": "Organization",
        "@id": f"{SITE_URL}/#organization",
        "name": "Myeloma & Relapse Notes",
        "url": f"{SITE_URL}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"{SITE_URL}/static/feed-icon-512.png",
            "width": 512,
            "height": 512,
        },
    }


def test_author_and_image_urls_lead_to_real_pages(client, article):
    posting = nodes(read(client, article.get_absolute_url()).json_ld)["BlogPosting"]
    for address in [posting["author"][0]["url"], posting["image"][0]["url"]]:
        response = client.get(address.removeprefix(SITE_URL))
        assert response.status_code == 200, address
        response.close()


def test_journal_papers_are_scholarly_articles_and_web_pages_creative_works(
    client, article
):
    posting = nodes(read(client, article.get_absolute_url()).json_ld)["BlogPosting"]
    paper, web_page, pubmed_only = posting["citation"]
    assert paper == {
        "@type": "ScholarlyArticle",
        "name": "Relapsed myeloma overview",
        "author": "Kumar SK, Rajkumar SV, et al.",
        "datePublished": "2020-07-13",
        "publisher": {"@type": "Organization", "name": "Blood"},
        "url": "https://ashpublications.org/blood/article/example",
        "identifier": [
            {
                "@type": "PropertyValue",
                "propertyID": "DOI",
                "value": "10.1182/blood.2020008805",
            },
            {"@type": "PropertyValue", "propertyID": "PMID", "value": "32649747"},
        ],
        "sameAs": [
            "https://doi.org/10.1182/blood.2020008805",
            "https://pubmed.ncbi.nlm.nih.gov/32649747/",
        ],
    }
    assert web_page == {
        "@type": "CreativeWork",
        "name": "Targeted drugs at relapse",
        "datePublished": "2022",
        "publisher": {
            "@type": "Organization",
            "name": "Multiple Myeloma Research Foundation",
        },
        "url": "https://themmrf.org/relapse/",
    }
    # Without a link of its own, a paper's address is where its id leads.
    assert pubmed_only["@type"] == "ScholarlyArticle"
    assert pubmed_only["url"] == "https://pubmed.ncbi.nlm.nih.gov/31234567/"
    assert pubmed_only["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "PMID", "value": "31234567"}
    ]


def test_hostile_title_and_summary_stay_inside_the_json(client, make_article):
    article = make_article(
        title=HOSTILE_TITLE,
        summary="Before <!-- a comment opener, and </SCRIPT > in capitals.",
    )
    reader = read(client, article.get_absolute_url())
    # Only the one data block: nothing broke out into a script of its own.
    assert [kind for kind, _ in reader.scripts] == ["application/ld+json"]
    graph = nodes(reader.json_ld)
    assert graph["BlogPosting"]["headline"] == HOSTILE_TITLE
    assert graph["MedicalWebPage"]["name"] == HOSTILE_TITLE
    assert graph["BlogPosting"]["description"] == article.summary
    # And the sharing tags carry it as text.
    assert reader.meta["og:title"] == HOSTILE_TITLE
    assert reader.meta["twitter:description"] == article.summary


def test_json_ld_escapes_markup_characters(client, make_article):
    article = make_article(title="Risk < 1% & rising > before")
    reader = read(client, article.get_absolute_url())
    ((_, text),) = reader.scripts
    assert not {"<", ">", "&"} & set(text)
    assert "Risk \\u003C 1% \\u0026 rising \\u003E before" in text
    assert nodes(reader.json_ld)["BlogPosting"]["headline"] == article.title


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_dates_equal_the_visible_ones(client, settings, article, time_zone):
    settings.TIME_ZONE = time_zone
    reader = read(client, article.get_absolute_url())
    posted, updated = reader.times
    posting = nodes(reader.json_ld)["BlogPosting"]
    assert posting["datePublished"] == posted
    assert posting["dateModified"] == updated
    assert reader.meta["article:published_time"] == posted
    assert reader.meta["article:modified_time"] == updated
    if time_zone == "America/New_York":
        assert posted == "2023-05-05T10:00:00-04:00"
        assert updated == "2024-01-09T04:30:00-05:00"


def test_never_updated_article_was_last_modified_when_published(
    client, settings, make_article
):
    settings.TIME_ZONE = "America/New_York"
    article = make_article(published_at=datetime(2023, 12, 1, 3, 0, tzinfo=UTC))
    reader = read(client, article.get_absolute_url())
    (posted,) = reader.times
    posting = nodes(reader.json_ld)["BlogPosting"]
    assert posted == "2023-11-30T22:00:00-05:00"
    assert posting["datePublished"] == posting["dateModified"] == posted
    assert "article:modified_time" not in reader.meta


def test_sharing_tags_use_the_1200_pixel_crop(client, article):
    reader = read(client, article.get_absolute_url())
    crop = article.featured_image.crop("16:9")
    assert (crop.width, crop.height) == (1200, 675)
    url = page_url(article)
    assert reader.canonical == [url]
    assert reader.meta == reader.meta | {
        "og:type": "article",
        "og:site_name": "Myeloma & Relapse Notes",
        "og:title": "Treatment after a myeloma relapse",
        "og:description": "Why the next treatment depends on the last one.",
        "og:url": url,
        "og:image": SITE_URL + crop.url,
        "og:image:type": "image/jpeg",
        "og:image:width": "1200",
        "og:image:height": "675",
        "og:image:alt": "A nurse talks with a patient in a clinic room",
        "article:author": f"{SITE_URL}/authors/dana-whitfield/",
        "twitter:card": "summary_large_image",
        "twitter:title": "Treatment after a myeloma relapse",
        "twitter:description": "Why the next treatment depends on the last one.",
        "twitter:image": SITE_URL + crop.url,
        "twitter:image:alt": "A nurse talks with a patient in a clinic room",
        "description": "Why the next treatment depends on the last one.",
    }
    # Each tag once: a second og:title would leave crawlers to pick one.
    assert len(reader.meta_tags) == len(set(reader.meta_tags))
    assert "robots" not in reader.meta


def test_article_without_image_or_author_claims_neither(client, make_article):
    article = make_article()
    reader = read(client, article.get_absolute_url())
    posting = nodes(reader.json_ld)["BlogPosting"]
    assert "image" not in posting and "author" not in posting
    assert "citation" not in posting
    assert "og:image" not in reader.meta and "twitter:image" not in reader.meta
    assert reader.meta["twitter:card"] == "summary"


def test_decorative_image_has_no_alt_tag(client, make_article, make_image):
    image = make_image(is_decorative=True, alt_text="")
    article = make_article(featured_image=image)
    reader = read(client, article.get_absolute_url())
    assert reader.meta["og:image"] == SITE_URL + image.crop("16:9").url
    assert "og:image:alt" not in reader.meta
    assert "twitter:image:alt" not in reader.meta


def test_preview_is_noindex_and_points_at_the_public_address(
    admin_client, make_article
):
    draft = make_article(status=Status.DRAFT, published_at=None)
    reader = read(admin_client, draft.get_preview_url())
    assert reader.meta["robots"] == "noindex"
    assert reader.canonical == [page_url(draft)]
    posting = nodes(reader.json_ld)["BlogPosting"]
    # A draft has no dates yet, and none are made up.
    assert "datePublished" not in posting and "dateModified" not in posting


def test_a_recorded_review_adds_last_reviewed_and_reviewed_by(article, author):
    review = MedicalReview(
        article=article, reviewed_on=date(2024, 2, 1), reviewer=author
    )
    page = nodes(article_graph(article, review))["MedicalWebPage"]
    assert page["lastReviewed"] == "2024-02-01"
    assert page["reviewedBy"] == [
        {
            "@type": "Person",
            "@id": f"{SITE_URL}/authors/dana-whitfield/#person",
            "name": "Dana Whitfield",
            "url": f"{SITE_URL}/authors/dana-whitfield/",
            "jobTitle": "RN, oncology nurse",
        }
    ]


def test_other_pages_have_a_canonical_address(client, make_article, topic, author):
    tag = Tag.objects.create(name="Care at home", slug="care-at-home")
    for _ in range(11):
        article = make_article(author=author)
        article.topics.add(topic)
        article.tags.add(tag)
    published = article.published_at
    month = {"year": published.year, "month": published.month}
    expected = {
        "/": "/",
        "/?page=2&utm_source=feed": "/?page=2",
        "/?page=1": "/",
        "/topics/": "/topics/",
        topic.get_absolute_url(): topic.get_absolute_url(),
        tag.get_absolute_url(): tag.get_absolute_url(),
        author.get_absolute_url() + "?page=2": author.get_absolute_url() + "?page=2",
        reverse("articles:archive"): reverse("articles:archive"),
        reverse("articles:archive_month", kwargs=month): reverse(
            "articles:archive_month", kwargs=month
        ),
    }
    for path, canonical in expected.items():
        assert read(client, path).canonical == [SITE_URL + canonical], path


def test_topic_without_description_is_described(client, make_article, topic):
    make_article().topics.add(topic)
    reader = read(client, topic.get_absolute_url())
    assert reader.meta["description"] == "Articles about Relapse, newest first."


def test_not_found_page_has_no_canonical_address(client, db):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert HeadReader(response.content.decode()).canonical == []


@pytest.mark.browser
def test_browser_reads_the_json_ld_without_a_csp_violation(
    live_server, browser, make_article
):
    article = make_article(title=HOSTILE_TITLE, summary="Before <!-- a comment.")
    page = browser.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server.url + article.get_absolute_url())
    # The reader CSP is script-src 'none': a data block is not a script to run,
    # so it must not be reported, while the browser still reads it as JSON.
    headlines = page.evaluate(
        """() => [...document.querySelectorAll('script')].map(
            (s) => [s.type, JSON.parse(s.textContent)['@graph'][1].headline])"""
    )
    page.close()
    assert headlines == [["application/ld+json", HOSTILE_TITLE]]
    assert [text for text in console if "Content Security Policy" in text] == []


# The publisher's site pages


@pytest.fixture
def site_pages(db):
    pages = {
        purpose: Page.objects.create(
            title=title, slug=slug, purpose=purpose, is_published=True, body=body
        )
        for purpose, title, slug, body in [
            (Purpose.ABOUT, "About us", "about", "<p>Who we are.</p>"),
            (
                Purpose.EDITORIAL_POLICY,
                "How we write and review",
                "editorial-policy",
                "<p>A clinician checks every article.</p>",
            ),
            (Purpose.CONTACT, "Contact us", "contact", "<p>Write to us.</p>"),
            (Purpose.PRIVACY, "Privacy", "privacy", "<p>No cookies.</p>"),
        ]
    }
    Page.objects.create(title="Draft ethics", slug="ethics", is_published=False)
    return pages


def test_the_organization_links_the_published_site_pages(client, article, site_pages):
    organization = nodes(read(client, article.get_absolute_url()).json_ld)[
        "Organization"
    ]
    about = f"{SITE_URL}/about/"
    policy = f"{SITE_URL}/editorial-policy/"
    contact = f"{SITE_URL}/contact/"
    assert organization["mainEntityOfPage"] == about
    assert organization["ownershipFundingInfo"] == about
    assert organization["publishingPrinciples"] == policy
    assert organization["correctionsPolicy"] == policy
    assert organization["ethicsPolicy"] == policy
    assert organization["actionableFeedbackPolicy"] == contact
    assert organization["contactPoint"] == {
        "@type": "ContactPoint",
        "contactType": "editorial",
        "url": contact,
    }
    # Nothing points at the privacy page or at a hidden page.
    linked = json.dumps(organization)
    assert "/privacy/" not in linked and "/ethics/" not in linked


def test_the_organization_links_lead_to_real_pages(client, article, site_pages):
    organization = nodes(read(client, article.get_absolute_url()).json_ld)[
        "Organization"
    ]
    addresses = {
        value
        for name, value in organization.items()
        if name.endswith(("Policy", "Principles", "Info", "OfPage"))
    }
    assert len(addresses) == 3
    for address in addresses:
        assert client.get(address.removeprefix(SITE_URL)).status_code == 200, address


def test_a_hidden_page_drops_out_of_the_organization(client, article, site_pages):
    site_pages[Purpose.EDITORIAL_POLICY].is_published = False
    site_pages[Purpose.EDITORIAL_POLICY].save()
    organization = nodes(read(client, article.get_absolute_url()).json_ld)[
        "Organization"
    ]
    assert "publishingPrinciples" not in organization
    assert organization["mainEntityOfPage"] == f"{SITE_URL}/about/"


def test_the_site_pages_cost_the_article_page_one_query(client, article, site_pages):
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert sum('"pages_page"' in query["sql"] for query in queries) == 1


def test_the_about_page_is_an_about_page_of_the_organization(client, site_pages):
    about = site_pages[Purpose.ABOUT]
    head = read(client, about.get_absolute_url())
    graph = nodes(head.json_ld)
    page = graph["AboutPage"]
    assert page["@id"] == f"{SITE_URL}/about/#webpage"
    assert page["url"] == f"{SITE_URL}/about/"
    assert page["name"] == "About us"
    assert page["description"] == "Who we are."
    assert page["mainEntity"] == {"@id": graph["Organization"]["@id"]}
    assert page["dateModified"] == about.updated_at.isoformat()
    assert graph["Organization"]["publishingPrinciples"] == (
        f"{SITE_URL}/editorial-policy/"
    )


@pytest.mark.parametrize(
    "purpose, kind",
    [
        (Purpose.CONTACT, "ContactPage"),
        (Purpose.EDITORIAL_POLICY, "WebPage"),
        (Purpose.PRIVACY, "WebPage"),
    ],
)
def test_other_site_pages_say_what_kind_of_page_they_are(
    client, site_pages, purpose, kind
):
    graph = nodes(read(client, site_pages[purpose].get_absolute_url()).json_ld)
    assert graph[kind]["publisher"] == {"@id": f"{SITE_URL}/#organization"}
    assert "mainEntity" not in graph[kind]


def test_every_purpose_but_privacy_has_an_organization_property():
    assert set(POLICY_PROPERTIES) == set(Purpose) - {Purpose.PRIVACY}
