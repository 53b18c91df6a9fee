"""The vague-link warning: which link text says nothing on its own, and the
warning editors get when they save."""

import re

import pytest
from django.urls import reverse

from articles.link_text import is_vague, vague_links
from articles.models import Article
from tests.test_admin import ADD_ARTICLE, article_form

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


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


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
