"""The editors' list of words with a plainer alternative, and how the reading
level finds them in a body."""

from importlib import import_module

from django.apps import apps
from django.urls import reverse

from articles.models import PlainerWord
from articles.reading_level import measure

LIST = reverse("admin:articles_plainerword_changelist")
ADD = reverse("admin:articles_plainerword_add")
SEED = import_module("articles.migrations.0020_plainer_words")


def found(html, pairs):
    return [(m.word, m.plainer, m.count) for m in measure(html, pairs).plainer_words]


def test_listed_words_are_found_in_any_case_and_form():
    pairs = [("utilise", "use"), ("commence", "start"), ("modify", "change")]
    html = (
        "<p>Commencing treatment early helps. Doctors utilise scans, "
        "UTILISED widely, and modified doses when they commence.</p>"
        "<ul><li>We modify it.</li><li>It modifies nothing.</li></ul>"
    )
    assert found(html, pairs) == [
        ("commence", "start", 2),
        ("utilise", "use", 2),
        ("modify", "change", 3),
    ]


def test_only_whole_words_are_found():
    pairs = [("require", "need"), ("obtain", "get")]
    html = "<p>Requirements were obtainable, and prerequired.</p>"
    assert found(html, pairs) == []


def test_a_phrase_is_found_across_markup_and_line_ends():
    pairs = [("prior to", "before"), ("in order to", "to")]
    html = "<p>Eat <strong>prior</strong>\nto the scan, in order<br>to rest.</p>"
    assert found(html, pairs) == [("prior to", "before", 1), ("in order to", "to", 1)]


def test_words_are_stored_in_one_spelling(db):
    word = PlainerWord.objects.create(word="  With   REGARD to ", plainer=" about ")
    assert (word.word, word.plainer) == ("with regard to", "about")
    assert str(word) == "with regard to → about"


def test_the_migration_lists_plainer_words_for_long_ones(db):
    PlainerWord.objects.all().delete()
    SEED.add_words(apps, None)
    pairs = PlainerWord.objects.pairs()
    assert ("utilise", "use") in pairs
    assert ("commence", "start") in pairs
    assert len(pairs) == len(SEED.WORDS)


def test_editors_add_words_and_a_second_spelling_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(ADD, {"word": "Ameliorate", "plainer": "improve"})
    assert response.status_code == 302
    assert PlainerWord.objects.filter(word="ameliorate", plainer="improve").exists()
    response = client.post(ADD, {"word": "AMELIORATE ", "plainer": "better"})
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert PlainerWord.objects.filter(word="ameliorate").count() == 1


def test_writers_read_the_list_but_cannot_change_it(client, writer):
    word = PlainerWord.objects.create(word="ameliorate", plainer="improve")
    client.force_login(writer)
    assert "ameliorate" in client.get(LIST).content.decode()
    assert client.post(ADD, {"word": "endeavour", "plainer": "try"}).status_code == 403
    change = reverse("admin:articles_plainerword_change", args=[word.pk])
    client.post(change, {"word": "ameliorate", "plainer": "better"})
    assert PlainerWord.objects.get(pk=word.pk).plainer == "improve"
    delete = reverse("admin:articles_plainerword_delete", args=[word.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_reviewers_do_not_see_the_list(client, reviewer):
    client.force_login(reviewer)
    assert client.get(LIST).status_code == 403
