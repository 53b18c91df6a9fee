"""The reading level in the admin: the panel under the body, the endpoint the
editor asks as it types, the warning on save and the article list's filter."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from articles.admin.forms import BODY_MAX_CHARACTERS
from articles.models import MedicalReview, PlainerWord, Status
from tests.admin_form import change_url, form_data
from tests.test_reading_level import (
    GRADE_12,
    GRADE_12_EASE,
    GRADE_12_GRADE,
    PLAIN,
    PLAIN_GRADE,
)

MEASURE = reverse("admin:articles_article_reading_level")
CHANGELIST = reverse("admin:articles_article_changelist")
WARNING = "Above the target: shorter sentences and plainer words"


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def warning_of(panel):
    """The reading-level warning's attributes and text."""
    element = panel.split('data-reading="warning"')[1].split("</p>")[0]
    return element.split(">", 1)


def warnings(response):
    return [m.message for m in get_messages(response.wsgi_request)]


def test_the_endpoint_measures_the_body_it_is_sent(signed_in):
    PlainerWord.objects.update_or_create(word="utilise", defaults={"plainer": "use"})
    body = f"<p>{GRADE_12}</p><p>Nurses utilise it.</p>"
    response = signed_in.post(MEASURE, {"body": f"<p>{GRADE_12}</p>"})
    assert response.status_code == 200
    level = response.json()
    assert (level["grade"], level["reading_ease"]) == (GRADE_12_GRADE, GRADE_12_EASE)
    assert (level["target"], level["is_above_target"], level["words"]) == (8, True, 39)
    assert level["long_sentences"] == []
    level = signed_in.post(MEASURE, {"body": body}).json()
    assert level["plainer_words"] == [{"word": "utilise", "plainer": "use", "count": 1}]


def test_the_endpoint_measures_against_the_target_setting(signed_in, settings):
    settings.READING_GRADE_TARGET = 13
    level = signed_in.post(MEASURE, {"body": f"<p>{GRADE_12}</p>"}).json()
    assert (level["target"], level["is_above_target"]) == (13, False)


def test_the_endpoint_answers_bad_requests_with_400_or_405(signed_in):
    assert signed_in.get(MEASURE).status_code == 405
    missing = signed_in.post(MEASURE, {})
    assert missing.status_code == 400
    assert "body" in missing.json()["error"]
    too_long = signed_in.post(MEASURE, {"body": "a " * BODY_MAX_CHARACTERS})
    assert too_long.status_code == 400
    empty = signed_in.post(MEASURE, {"body": ""})
    assert empty.json()["grade"] is None


def test_the_endpoint_is_for_those_who_write_articles(client, reviewer, writer):
    response = client.post(MEASURE, {"body": f"<p>{PLAIN}</p>"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(reviewer)
    assert client.post(MEASURE, {"body": f"<p>{PLAIN}</p>"}).status_code == 403
    client.force_login(writer)
    assert client.post(MEASURE, {"body": f"<p>{PLAIN}</p>"}).status_code == 200


def test_the_endpoint_needs_the_forms_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(MEASURE, {"body": f"<p>{PLAIN}</p>"}).status_code == 403


def test_the_form_shows_the_grade_and_the_warning_under_the_body(
    signed_in, make_article
):
    above = make_article(body=f"<p>{GRADE_12}</p>")
    page = signed_in.get(change_url(above)).content.decode()
    panel = page.split('id="id_body_reading_level"')[1].split('id="id_')[0]
    assert f"grade {GRADE_12_GRADE}; reading ease {GRADE_12_EASE}" in panel
    assert "Target: grade 8 or below." in panel
    attributes, text = warning_of(panel)
    assert text.startswith(WARNING)
    assert not attributes.endswith(" hidden")

    within = make_article(body=f"<p>{PLAIN}</p>")
    page = signed_in.get(change_url(within)).content.decode()
    panel = page.split('id="id_body_reading_level"')[1]
    assert f"grade {PLAIN_GRADE};" in panel
    attributes, text = warning_of(panel)
    assert attributes.endswith(" hidden")
    assert text == ""


def test_the_form_lists_long_sentences_and_plainer_words(signed_in, make_article):
    PlainerWord.objects.update_or_create(word="commence", defaults={"plainer": "start"})
    sentence = (
        "Most people commence treatment within a few weeks of the diagnosis, "
        "once the team has the results of every test it has asked for."
    )  # 24 words
    article = make_article(body=f"<p>{sentence} They commenced it.</p>")
    panel = signed_in.get(change_url(article)).content.decode()
    panel = panel.split('id="id_body_reading_level"')[1]
    assert f"<li>“{sentence}” (24 words)</li>" in panel
    assert "<li>“commence” → start (2 times)</li>" in panel


def test_saving_above_the_target_warns_but_saves(signed_in, make_article):
    article = make_article(body=f"<p>{PLAIN}</p>")
    data = form_data(signed_in, change_url(article)) | {"body": f"<p>{GRADE_12}</p>"}
    response = signed_in.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.reading_grade == GRADE_12_GRADE
    assert any(
        f"it reads at grade {GRADE_12_GRADE}, above the target of grade 8" in message
        for message in warnings(response)
    )
    data = form_data(signed_in, change_url(article)) | {"body": f"<p>{PLAIN}</p>"}
    response = signed_in.post(change_url(article), data)
    assert not any("reads at grade" in message for message in warnings(response))


def test_an_article_above_the_target_can_be_published(
    signed_in, make_article, make_reference, author, make_user
):
    article = make_article(
        body=f"<p>{GRADE_12}</p>",
        status=Status.APPROVED,
        published_at=None,
        author=author,
    )
    reviewer = make_user("Medical reviewers", credentials="MD, haematologist")
    MedicalReview.objects.create(article=article, reviewer=reviewer.author_profile)
    make_reference(article)
    data = form_data(signed_in, change_url(article)) | {"_move": "publish"}
    response = signed_in.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published()
    assert any("reads at grade" in message for message in warnings(response))


def test_the_list_filters_by_reading_level(signed_in, make_article, settings):
    above = make_article(title="Hard going", body=f"<p>{GRADE_12}</p>")
    within = make_article(title="Plain going", body=f"<p>{PLAIN}</p>")
    make_article(title="Nothing yet", body="")

    def listed(query):
        response = signed_in.get(CHANGELIST, query)
        assert response.status_code == 200
        return {a.title for a in response.context["cl"].result_list}

    assert listed({"reading_level": "above"}) == {above.title}
    assert listed({"reading_level": "within"}) == {within.title}
    assert len(listed({"reading_level": "nonsense"})) == 3
    settings.READING_GRADE_TARGET = GRADE_12_GRADE
    assert listed({"reading_level": "above"}) == set()
    assert listed({"reading_level": "within"}) == {above.title, within.title}


def test_the_list_shows_each_articles_grade(signed_in, make_article):
    make_article(title="Hard going", body=f"<p>{GRADE_12}</p>")
    page = signed_in.get(CHANGELIST).content.decode()
    assert "Above target (grade 8)" in page
    row = page.split(">Hard going</a>")[1].split("</tr>")[0]
    grade = f'<td class="field-reading_grade_label">{GRADE_12_GRADE}<br>'
    assert f"{grade}<small>Above target</small></td>" in row
