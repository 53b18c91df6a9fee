"""Two editors on one article: the later save over a newer version is refused,
keeps what was typed, and shows what the other editor changed."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.admin_form import change_url, errors_of, form_fields


@pytest.fixture
def editors(db):
    def sign_in(username, first_name, last_name):
        user = get_user_model().objects.create_superuser(
            username, f"{username}@example.com", "pw"
        )
        user.first_name, user.last_name = first_name, last_name
        user.save()
        client = Client()
        client.force_login(user)
        return client

    return sign_in("dana", "Dana", "Whitfield"), sign_in("sam", "Sam", "Okafor")


@pytest.fixture
def article(make_article, make_reference):
    article = make_article(
        title="Tiredness after treatment",
        body="<p>Most people feel tired for a while.</p>",
    )
    make_reference(article, title="Fatigue in myeloma")
    return article


def opened(client, article):
    return form_fields(client.get(change_url(article)).content.decode())


def test_second_save_is_refused_and_keeps_its_input(editors, article):
    dana, sam = editors
    danas_form, sams_form = opened(dana, article), opened(sam, article)

    response = dana.post(change_url(article), danas_form | {"title": "Fatigue"})
    assert response.status_code == 302, errors_of(response)

    sams_body = "<p>Most people feel tired for a few weeks.</p>"
    response = sam.post(
        change_url(article),
        sams_form
        | {"body": sams_body, "references-0-title": "Fatigue in multiple myeloma"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    saved_at = timezone.localtime(Article.objects.get().modified_at)
    assert (
        f"Dana Whitfield saved this article at {saved_at:%H:%M}, after you opened it."
        in html
    )
    assert "Your text is kept below" in html
    assert "a few weeks" in html
    assert 'value="Fatigue in multiple myeloma"' in html
    article.refresh_from_db()
    assert article.title == "Fatigue"
    assert "a while" in article.body


def test_refusal_links_to_what_the_other_editor_changed(editors, article):
    dana, sam = editors
    # A first admin save, so that there is a stored version to compare from.
    dana.post(change_url(article), opened(dana, article))
    danas_form, sams_form = opened(dana, article), opened(sam, article)
    dana.post(change_url(article), danas_form | {"title": "Fatigue"})
    response = sam.post(change_url(article), sams_form | {"summary": "Shorter."})

    compare = response.context["adminform"].form.non_field_errors()[0]
    url = compare.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert url.startswith(reverse("admin:articles_article_compare", args=[article.pk]))
    html = sam.get(url).content.decode()
    assert "<del>Tiredness after treatment</del><ins>Fatigue</ins>" in html


def test_saving_again_after_the_refusal_replaces_the_other_version(editors, article):
    dana, sam = editors
    danas_form, sams_form = opened(dana, article), opened(sam, article)
    dana.post(change_url(article), danas_form | {"title": "Fatigue"})
    refused = sam.post(change_url(article), sams_form | {"summary": "Shorter."})

    response = sam.post(change_url(article), form_fields(refused.content.decode()))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert (article.summary, article.title) == ("Shorter.", "Tiredness after treatment")


def test_one_editor_saving_twice_is_not_refused(editors, article):
    dana, _ = editors
    dana.post(change_url(article), opened(dana, article) | {"title": "Fatigue"})
    response = dana.post(change_url(article), opened(dana, article))
    assert response.status_code == 302, errors_of(response)


def test_without_a_stored_version_the_refusal_links_to_the_history(editors, article):
    dana, sam = editors
    danas_form, sams_form = opened(dana, article), opened(sam, article)
    dana.post(change_url(article), danas_form | {"title": "Fatigue"})
    response = sam.post(change_url(article), sams_form)
    history = reverse("admin:articles_article_history", args=[article.pk])
    assert f'<a href="{history}">See what they changed</a>' in (
        response.content.decode()
    )


def test_a_change_without_the_opened_version_is_refused(editors, article):
    dana, _ = editors
    form = opened(dana, article)
    del form["opened_at"]
    response = dana.post(change_url(article), form | {"title": "Fatigue"})
    assert response.status_code == 200
    assert Article.objects.get().title == "Tiredness after treatment"
