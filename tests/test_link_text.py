"""The vague-link warning: which link text says nothing on its own, and where
editors see it (beside the body on the article's page, and after a save)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.link_text import is_vague, vague_links
from articles.models import Article
from tests.admin_form import ADD_ARTICLE, article_form, form_data

MMRF = "https://themmrf.org/multiple-myeloma/relapsed/"
RATES = "https://example.org/myeloma/how-often-it-returns"
REVIEW = "https://example.org/journal/targeted-drugs-at-relapse"
# The shape of a real post: each source linked at the end of a sentence as
# "by clicking here", the link on "clicking here" or on all three words.
RELAPSE_BODY = (
    "<p>Myeloma often comes back after a first treatment, sometimes years "
    "later. Find out how often that happens by "
    f'<a href="{RATES}">clicking here</a>.</p>'
    "<p>Newer targeted drugs help many people at relapse, according to a 2024 "
    f'review. See what it found <a href="{REVIEW}">by clicking here</a>.</p>'
)

VAGUE = [
    "clicking here",
    "by clicking here",
    "Click HERE!",
    "click here.",
    "clicked here",
    "Please click on this link",
    "tap here",
    "See what it found by clicking here",
    "here",
    "Here.",
    "this",
    "this link",
    "link",
    "website",
    "our website",
    "Read more…",
    "read more",
    "More",
    "find out more",
    "Learn more here",
    "the study",
    "this article",
    "https://themmrf.org/relapse/",
    "www.cancer.gov",
    "(cancer.gov/types/myeloma).",
    "",
    "→",
]
DESCRIPTIVE = [
    "the MMRF",
    "NHS",
    "Cancer Research UK",
    "Blood",
    "Myeloma UK website",
    "the MMRF guide to relapse",
    "Read more about CAR-T therapy",
    "here is where trials are listed by the NCI",
    "Dr. Smith's notes",
    "Living Well with Myeloma",
    "[2]",
    "info@themmrf.org",
]


@pytest.mark.parametrize("text", VAGUE)
def test_vague_link_texts(text):
    assert is_vague(text)


@pytest.mark.parametrize("text", DESCRIPTIVE)
def test_descriptive_link_texts(text):
    assert not is_vague(text)


def test_both_clicking_here_links_of_a_real_post_shape_are_found():
    assert [(link.text, link.href) for link in vague_links(RELAPSE_BODY)] == [
        ("clicking here", RATES),
        ("by clicking here", REVIEW),
    ]


def test_vague_links_reads_text_across_inline_markup_and_line_breaks():
    links = vague_links(
        '<p><a href="https://a.org/"><strong>Click</strong> here</a> and '
        '<a href="https://b.org/">the <em>B</em> guide</a> and '
        '<a href="https://c.org/">Read<br>more</a></p>'
    )
    assert [(link.text, link.href) for link in links] == [
        ("Click here", "https://a.org/"),
        ("Read more", "https://c.org/"),
    ]


class BodyWarning(HTMLParser):
    """The vague-link warning of an article's admin page, if it sits in the
    body's row of the form: whether it is hidden, and its list items."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs) of open elements
        self.hidden = None
        self.items = []
        self._item = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"br", "img", "input", "link", "meta"}:
            return
        in_body_row = any(
            "field-body" in (a.get("class") or "").split() for _, a in self.stack
        )
        if attrs.get("id") == "id_body_vague_links" and in_body_row:
            self.hidden = "hidden" in attrs
        if tag == "li" and any(
            a.get("id") == "id_body_vague_links" for _, a in self.stack
        ):
            self._item = []
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if tag == "li" and self._item is not None:
            self.items.append("".join(self._item))
            self._item = None

    def handle_data(self, data):
        if self._item is not None:
            self._item.append(data)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_article_page_shows_the_vague_links_beside_the_body(admin_client, make_article):
    article = make_article(body=RELAPSE_BODY)
    warning = BodyWarning(admin_client.get(change_url(article)).content.decode())
    assert warning.hidden is False
    assert warning.items == [
        f"“clicking here” ({RATES})",
        f"“by clicking here” ({REVIEW})",
    ]


def test_article_page_has_an_empty_hidden_warning_for_good_links(
    admin_client, make_article
):
    article = make_article(body=f'<p>Read <a href="{MMRF}">the MMRF guide</a>.</p>')
    warning = BodyWarning(admin_client.get(change_url(article)).content.decode())
    # Hidden, and there for the editor's script to fill in as the editor types.
    assert warning.hidden is True
    assert warning.items == []


def test_save_and_continue_shows_the_warning_beside_the_body(
    admin_client, make_article
):
    article = make_article(body="<p>Nothing linked yet.</p>")
    data = form_data(admin_client, change_url(article)) | {
        "body": RELAPSE_BODY,
        "_continue": "Save and continue editing",
    }
    response = admin_client.post(change_url(article), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(article)
    assert Article.objects.get().body.count("clicking here") == 2
    warning = BodyWarning(response.content.decode())
    assert warning.items == [
        f"“clicking here” ({RATES})",
        f"“by clicking here” ({REVIEW})",
    ]


def test_a_refused_save_shows_the_warning_for_the_text_as_typed(admin_client):
    data = article_form(body=RELAPSE_BODY, slug="not a slug!")
    response = admin_client.post(ADD_ARTICLE, data)
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert len(BodyWarning(response.content.decode()).items) == 2


def test_admin_warns_about_vague_links_and_still_saves(admin_client):
    body = (
        '<p>For trials, <a href="https://clinicaltrials.gov/">click here</a>. '
        f'The guide is at <a href="{MMRF}">{MMRF}</a>.</p>'
    )
    response = admin_client.post(ADD_ARTICLE, article_form(body=body))
    assert response.status_code == 302
    article = Article.objects.get()
    assert 'href="https://clinicaltrials.gov/"' in article.body
    assert article.references.count() == 2

    next_page = admin_client.get(response["Location"]).content.decode()
    warning = re.search(r'<li class="warning">(.*?)</li>', next_page, re.S)[1]
    assert "“click here” (https://clinicaltrials.gov/)" in warning
    assert f"“{MMRF}” ({MMRF})" in warning
    assert "WCAG 2.4.4" in warning
    assert 'class="success"' in next_page


def test_admin_does_not_warn_about_descriptive_links(admin_client):
    response = admin_client.post(ADD_ARTICLE, article_form(), follow=True)
    assert Article.objects.exists()
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_editing_an_article_warns_again(admin_client, make_article):
    article = make_article(body='<p><a href="https://a.org/">Read more</a></p>')
    data = article_form(title=article.title, slug=article.slug, body=article.body) | {
        "references-TOTAL_FORMS": "0",
        "opened_at": article.modified_at.isoformat(),
    }
    response = admin_client.post(change_url(article), data, follow=True)
    warnings = [
        str(m) for m in response.context["messages"] if m.level_tag == "warning"
    ]
    assert len(warnings) == 1 and "“Read more” (https://a.org/)" in warnings[0]
