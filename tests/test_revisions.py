"""Revisions through the admin: every save kept, compared, restored; deleted
articles listed and recovered with their references."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Reference
from tests.admin_form import change_url, errors_of, form_fields

BODY = (
    "<h2>After treatment</h2><p>Most people feel tired for a while.</p>"
    "<p>Ask your nurse about exercise.</p>"
)


def compare_url(article, old, new):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?from={old.pk}&to={new.pk}"


def save(client, article, **changes):
    """Opens the article's change form, changes some fields, and saves it."""
    data = form_fields(client.get(change_url(article)).content.decode()) | changes
    response = client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    return response


def versions_of(article):
    return list(Version.objects.get_for_object(article).order_by("pk"))


@pytest.fixture
def article(make_article, make_reference, topic):
    article = make_article(title="Tiredness after treatment", body=BODY)
    article.topics.add(topic)
    make_reference(article, title="Fatigue in myeloma", position=1)
    make_reference(article, title="Exercise during treatment", position=2)
    return article


def test_every_admin_save_keeps_a_revision_with_its_references(
    admin_client, admin_user, article
):
    save(admin_client, article)
    save(admin_client, article, **{"references-0-position": "3"})
    first, second = versions_of(article)
    assert second.revision.user == admin_user
    assert (
        second.revision.get_comment()
        == "Changed Position for reference “Fatigue in myeloma”."
    )
    stored = {
        version.field_dict["title"]: version.field_dict["position"]
        for version in second.revision.version_set.all()
        if version.content_type.model_class() is Reference
    }
    # As renumbered after the save, not as typed.
    assert stored == {"Exercise during treatment": 1, "Fatigue in myeloma": 2}


def test_history_lists_versions_to_compare_and_restore(admin_client, article):
    save(admin_client, article)
    save(admin_client, article, title="Tiredness after myeloma treatment")
    html = admin_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    ).content.decode()
    older, newer = versions_of(article)
    assert f'name="from" value="{older.pk}"' in html
    assert f'name="to" value="{newer.pk}"' in html
    assert "Compare the two chosen versions" in html
    assert (
        reverse("admin:articles_article_revision", args=[article.pk, older.pk]) in html
    )
    assert "admin" in html  # who saved


def test_compare_shows_body_references_and_topics(admin_client, article):
    save(admin_client, article)
    save(
        admin_client,
        article,
        title="Tiredness <after> treatment",
        body=BODY.replace("for a while", "for a few weeks"),
        topics=[],
        **{"references-1-title": "Exercise and rest during treatment"},
    )
    old, new = versions_of(article)
    response = admin_client.get(compare_url(article, old, new))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiredness <ins>&lt;</ins>after<ins>&gt;</ins> treatment" in html
    assert "for a <del>while</del><ins>few weeks</ins>." in html
    assert "## After treatment" in html
    assert "Removed: <del>Relapse</del>" in html
    assert "Changed: Exercise and rest during treatment" in html
    assert "<del>Exercise during treatment</del>" in html


def test_compare_refuses_versions_of_another_article(
    admin_client, article, make_article
):
    other = make_article()
    save(admin_client, article)
    save(admin_client, other)
    url = compare_url(article, versions_of(article)[0], versions_of(other)[0])
    assert admin_client.get(url).status_code == 400


def test_restore_brings_back_text_and_references_as_a_new_revision(
    admin_client, article
):
    # A live medical article's restore waits for review instead: see
    # tests/test_pending.py.
    Article.objects.filter(pk=article.pk).update(is_medical=False)
    save(admin_client, article)
    save(
        admin_client,
        article,
        title="Tiredness, rewritten",
        **{"references-1-DELETE": "on"},
    )
    assert article.references.count() == 1
    first = versions_of(article)[0]
    revert_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = admin_client.get(revert_url).content.decode()
    # Looking at an old version changes nothing.
    assert Article.objects.get(pk=article.pk).title == "Tiredness, rewritten"
    response = admin_client.post(revert_url, form_fields(page))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.title == "Tiredness after treatment"
    assert [r.title for r in article.references.all()] == [
        "Fatigue in myeloma",
        "Exercise during treatment",
    ]
    versions = versions_of(article)
    assert len(versions) == 3
    assert versions[-1].revision.get_comment().startswith("Reverted to")


def test_delete_asks_first_and_can_be_undone_with_the_references(
    admin_client, article, topic
):
    save(admin_client, article)
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert "Are you sure" in admin_client.get(delete_url).content.decode()
    assert Article.objects.filter(pk=article.pk).exists()

    admin_client.post(delete_url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Reference.objects.exists()

    changelist = admin_client.get(reverse("admin:articles_article_changelist"))
    deleted_url = reverse("admin:articles_article_recoverlist")
    assert f'href="{deleted_url}">Deleted articles</a>' in changelist.content.decode()
    deleted = admin_client.get(deleted_url).content.decode()
    version = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    assert recover_url in deleted and "Tiredness after treatment" in deleted
    assert "by admin" in deleted  # who deleted it

    response = admin_client.post(
        recover_url, form_fields(admin_client.get(recover_url).content.decode())
    )
    assert response.status_code == 302, errors_of(response)
    recovered = Article.objects.get(pk=article.pk)
    assert recovered.title == "Tiredness after treatment"
    assert list(recovered.topics.all()) == [topic]
    assert [(r.position, r.title, r.publisher) for r in recovered.references.all()] == [
        (1, "Fatigue in myeloma", "Blood"),
        (2, "Exercise during treatment", "Blood"),
    ]
    assert not Version.objects.get_deleted(Article).exists()


def test_history_of_an_article_saved_outside_the_admin(admin_client, make_article):
    article = make_article()
    response = admin_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    )
    assert response.status_code == 200


def test_demo_articles_start_with_a_revision(db):
    call_command("load_demo_content")
    for article in Article.objects.all():
        version = Version.objects.get_for_object(article).get()
        assert version.revision.comment == "Demo content loaded."
        references = version.revision.version_set.filter(
            content_type__model="reference"
        )
        assert references.count() == article.references.count()
