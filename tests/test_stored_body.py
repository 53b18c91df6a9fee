"""The body as readers get it is rendered when it changes and stored on the
article (articles.body.stored_parts): it must stay in step with the article and
its references however they change, and a page rendered from it must read as
one rendered afresh."""

import json

import pytest
import reversion
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles import pending
from articles.body import RENDERING, STORED_FIELDS, stored_parts
from articles.models import Article, PendingChange, Reference
from articles.signals import render_stale_bodies
from tests.admin_form import ADD_ARTICLE, article_form

PAPER = "https://ashpublications.org/blood/article/example"
BODY = (
    f'<h2>One</h2><p>See <a href="{PAPER}">the paper</a>.</p>'
    '<h2>Two</h2><p><a href="https://themmrf.org/relapse/">MMRF</a></p><h2>Three</h2>'
)


def stored(article):
    row = Article.objects.get(pk=article.pk)
    return {name: getattr(row, name) for name in STORED_FIELDS}


def rendered_now(article):
    row = Article.objects.get(pk=article.pk)
    return stored_parts(row, row.references.order_by("position", "pk"))


def assert_in_step(article):
    assert stored(article) == rendered_now(article)


def test_saving_an_article_stores_its_rendered_body(make_article, make_reference):
    article = make_article(body=BODY)
    make_reference(article, url=PAPER, position=1)
    assert_in_step(article)
    row = Article.objects.get(pk=article.pk)
    assert 'href="#ref-1" id="cite-1-1"' in row.body_html
    assert [h.id for h in row.reader_body().headings] == ["one", "two", "three"]
    assert '<li id="ref-1">' in row.references_html
    assert row.body_rendering == RENDERING
    article.body = "<p>Changed.</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).body_html == "<p>Changed.</p>"


def test_adding_editing_reordering_and_deleting_references_renders_again(
    make_article, make_reference
):
    article = make_article(body=BODY)
    paper = make_reference(article, url=PAPER, position=1)
    assert 'aria-label="Reference 1"' in stored(article)["body_html"]
    web = make_reference(article, url="https://themmrf.org/relapse/", position=2)
    assert 'aria-label="Reference 2"' in stored(article)["body_html"]
    web.title = "Renamed source"
    web.save()
    assert "Renamed source" in stored(article)["references_html"]
    paper.position, web.position = 2, 1
    paper.save()
    web.save()
    article.renumber_references()
    assert_in_step(article)
    assert json.loads(stored(article)["citations_json"])[0]["name"] == "Renamed source"
    web.delete()
    assert_in_step(article)
    assert "Renamed source" not in stored(article)["references_html"]
    Reference.objects.filter(article=article).delete()
    assert stored(article)["references_html"].strip() == ""


def test_the_admin_form_with_its_references_inline_stores_them(admin_client):
    body = '<p><a href="https://ashpublications.org/blood/article/1">Trial</a></p>'
    response = admin_client.post(ADD_ARTICLE, article_form(body=body))
    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get()
    assert_in_step(article)
    assert 'aria-label="Reference 2"' in article.body_html
    assert article.citations()[1]["name"] == "Targeted therapy at relapse"


def test_publishing_a_pending_change_stores_its_body_and_references(
    make_article, make_reference, editor
):
    article = make_article(body="<p>Old text.</p>")
    kept = make_reference(article, title="Kept source", position=1)
    kept.title = "Kept source, updated"
    added = Reference(
        article=article, title="Added", url="https://themmrf.org/relapse/", position=2
    )
    article.body = BODY
    content = pending.content_of(article, [], [], [kept, added])
    change = pending.hold(Article.objects.get(pk=article.pk), content, "", editor)
    assert "Old text" in stored(article)["body_html"]
    pending.apply(PendingChange.objects.get(pk=change.pk))
    assert_in_step(article)
    row = Article.objects.get(pk=article.pk)
    assert 'aria-label="Reference 2"' in row.body_html
    assert "Kept source, updated" in row.references_html


def test_restoring_a_version_stores_its_body_and_references(
    make_article, make_reference
):
    with reversion.create_revision():
        article = make_article(body=BODY)
        make_reference(article, url=PAPER, title="First source", position=1)
    article.body = "<p>Rewritten.</p>"
    with reversion.create_revision():
        article.save()
        article.references.update(title="Renamed")
        for reference in article.references.all():
            reference.save()
    oldest = Version.objects.get_for_object(article).order_by("pk").first()
    oldest.revision.revert(delete=True)
    assert_in_step(article)
    row = Article.objects.get(pk=article.pk)
    assert 'aria-label="Reference 1"' in row.body_html
    assert "First source" in row.references_html


def test_a_body_stored_by_an_older_renderer_reads_the_same(client, make_full_article):
    article = make_full_article(body=BODY)
    url = article.get_absolute_url()
    page, feed = client.get(url).content, client.get(reverse("articles:feed")).content
    Article.objects.update(body_rendering=0, body_html="", references_html="")
    assert client.get(url).content == page
    assert client.get(reverse("articles:feed")).content == feed
    call_command("rebuild_bodies", "--stale")
    assert_in_step(article)
    assert client.get(url).content == page


def test_migrate_renders_what_an_older_renderer_stored(make_article):
    article = make_article(body=BODY)
    Article.objects.update(body_rendering=0, body_html="")
    render_stale_bodies(sender=apps.get_app_config("articles"))
    assert_in_step(article)


def test_feed_items_follow_site_url_before_the_bodies_are_rebuilt(
    client, settings, make_article
):
    make_article(body='<p><a href="/about/">About</a></p>', slug="moved")
    settings.SITE_URL = "https://new.example.org"
    feed = client.get(reverse("articles:feed")).content.decode()
    assert "https://new.example.org/about/" in feed
    assert Article.objects.with_stale_body().count() == 1
    call_command("rebuild_bodies", "--stale")
    assert not Article.objects.with_stale_body().exists()
    assert Article.objects.get().feed_base_url == (
        "https://new.example.org/articles/moved/"
    )
    assert client.get(reverse("articles:feed")).content.decode() == feed


def test_deleting_an_article_with_references(make_article, make_reference):
    article = make_article()
    make_reference(article)
    article.delete()
    assert not Reference.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_renders_every_article(make_article, make_reference):
    article = make_article(body=BODY)
    make_reference(article, url=PAPER, position=1)
    call_command("migrate", "articles", "0011", verbosity=0)
    call_command("migrate", "articles", verbosity=0)
    assert_in_step(article)
    assert 'aria-label="Reference 1"' in stored(article)["body_html"]


def test_an_article_written_without_save_is_rendered_when_read(client, make_article):
    # As bulk_create() and imports by SQL write it: the database defaults.
    (article,) = Article.objects.bulk_create(
        [
            Article(
                title="Imported",
                slug="imported",
                summary="From elsewhere.",
                body=BODY,
                status="published",
                published_at=make_article().published_at,
            )
        ]
    )
    assert Article.objects.with_stale_body().get() == article
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<h2 id="two">Two</h2>' in page
    assert 'href="#two"' in page  # The table of contents.
    call_command("rebuild_bodies", "--stale")
    assert_in_step(article)
    assert client.get(article.get_absolute_url()).content.decode() == page
