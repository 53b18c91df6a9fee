"""The reading level of an article body (articles.reading_level), checked
against the Flesch–Kincaid formulas worked by hand:

    grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
    ease = 206.835 − 1.015 × words/sentences − 84.6 × syllables/words

Each text's words, sentences and syllables are counted in a comment beside it.
"""

import pytest

from articles.models import Article
from articles.reading_level import measure, reading_grade, text_blocks
from articles.signals import render_stale_bodies
from tests.test_settings import run_manage

# 20 words, 30 syllables: Reg-u-lar 3, blood 1, tests 1, help 1, the 1,
# spe-cial-ist 3, team 1, to 1, no-tice 2, in-fec-tions 3, ear-ly 2, and 1,
# to 1, change 1, the 1, treat-ment 2, when 1, it 1, is 1, need-ed 2.
TESTS = (
    "Regular blood tests help the specialist team to notice infections early "
    "and to change the treatment when it is needed."
)
# 19 words, 38 syllables: Pa-tients 2, who 1, no-tice 2, un-u-su-al 4,
# bruis-ing 2, or 1, per-sis-tent 3, fe-vers 2, should 1, con-tact 2, the 1,
# hos-pi-tal 3, im-me-di-ate-ly 5, e-ven 2, dur-ing 2, the 1, night 1, or 1,
# week-end 2.
FEVERS = (
    "Patients who notice unusual bruising or persistent fevers should contact "
    "the hospital immediately, even during the night or weekend."
)
# Both: 39 words, 2 sentences, 68 syllables.
GRADE_12 = f"{TESTS} {FEVERS}"
GRADE_12_GRADE = round(0.39 * 39 / 2 + 11.8 * 68 / 39 - 15.59, 1)
GRADE_12_EASE = round(206.835 - 1.015 * 39 / 2 - 84.6 * 68 / 39, 1)
# 22 words, 3 sentences, 25 syllables: every word has one syllable but
# bod-y, do-ing and re-sults.
PLAIN = (
    "Your nurse will take some blood. The test checks how well your body is "
    "doing. You get the results in a week."
)
PLAIN_GRADE = round(0.39 * 22 / 3 + 11.8 * 25 / 22 - 15.59, 1)
PLAIN_EASE = round(206.835 - 1.015 * 22 / 3 - 84.6 * 25 / 22, 1)


def test_the_expected_values_are_those_of_a_grade_12_and_a_plain_text():
    assert (GRADE_12_GRADE, GRADE_12_EASE) == (12.6, 39.5)
    assert (PLAIN_GRADE, PLAIN_EASE) == (0.7, 103.3)


def test_a_grade_12_paragraph_measures_as_the_formulas_say():
    level = measure(f"<p>{GRADE_12}</p>")
    assert (level.grade, level.reading_ease) == (GRADE_12_GRADE, GRADE_12_EASE)
    assert level.words == 39
    assert level.is_above_target


def test_a_plain_paragraph_is_within_the_target():
    level = measure(f"<p>{PLAIN}</p>")
    assert (level.grade, level.reading_ease) == (PLAIN_GRADE, PLAIN_EASE)
    assert not level.is_above_target


def test_the_target_is_a_setting(settings):
    settings.READING_GRADE_TARGET = GRADE_12_GRADE
    assert not measure(f"<p>{GRADE_12}</p>").is_above_target
    settings.READING_GRADE_TARGET = 12.5
    assert measure(f"<p>{GRADE_12}</p>").is_above_target


def test_markup_does_not_change_the_grade():
    html = (
        "<p>Regular blood tests help the <strong>specialist team</strong> to notice "
        '<a href="https://example.org/">infections</a> early and to change the '
        "treatment when it is <em>needed</em>.</p>"
        f"<blockquote><p>{FEVERS}</p></blockquote>"
    )
    assert reading_grade(html) == GRADE_12_GRADE


def test_each_paragraph_heading_and_list_item_ends_a_sentence():
    # Without their own full stops, the two list items would be one sentence
    # of 39 words: 0.39 × 39 + 11.8 × 68/39 − 15.59 = 20.2.
    html = (
        f"<ul><li>{TESTS.rstrip('.')}</li><li>{FEVERS.rstrip('.')}</li></ul>"
        "<h2>What to expect</h2><p>Next, <br>a nap.</p>"
    )
    assert text_blocks(html) == [TESTS, FEVERS, "What to expect.", "Next, a nap."]


def test_a_heading_is_counted_as_a_sentence_of_its_own():
    # Two more sentences: "What 1 to 1 ex-pect 2" (3 words, 4 syllables) and
    # "Next 1, a 1, long 1, nap 1" (4 words, 4 syllables): 46 words,
    # 4 sentences, 76 syllables. Run on into the paragraph, the heading would
    # make one sentence with it, and 3 in all.
    html = f"<p>{GRADE_12}</p><h2>What to expect</h2><p>Next, a long nap.</p>"
    expected = round(0.39 * 46 / 4 + 11.8 * 76 / 46 - 15.59, 1)
    assert reading_grade(html) == expected


def test_a_body_without_words_has_no_grade():
    assert reading_grade("") is None
    assert reading_grade("<p></p><p> </p>") is None
    level = measure("<p>…</p>")
    assert (level.grade, level.reading_ease, level.words) == (None, None, 0)
    assert not level.is_above_target


def test_the_longest_sentences_over_twenty_words_are_listed_longest_first():
    long = f"{TESTS.rstrip('.')}, as the team explains."  # 24 words
    longer = f"{long.rstrip('.')} at the first visit."  # 28 words
    html = f"<p>{long} {PLAIN}</p><ul><li>{longer}</li><li>{TESTS}</li></ul>"
    level = measure(html)
    assert [(s.text, s.words) for s in level.long_sentences] == [
        (longer, 28),
        (long, 24),
    ]


def test_no_more_than_three_long_sentences_are_listed():
    sentences = [f"{TESTS.rstrip('.')} {'again ' * n}today." for n in range(1, 6)]
    level = measure(f"<p>{' '.join(sentences)}</p>")
    assert [s.words for s in level.long_sentences] == [26, 25, 24]


def test_an_article_stores_its_grade_when_saved(make_article):
    article = make_article(body=f"<p>{GRADE_12}</p>")
    assert Article.objects.get(pk=article.pk).reading_grade == GRADE_12_GRADE
    article.body = f"<p>{PLAIN}</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).reading_grade == PLAIN_GRADE
    Article.objects.filter(pk=article.pk).update(body="")
    Article.objects.get(pk=article.pk).save()
    assert Article.objects.get(pk=article.pk).reading_grade is None


def test_migrating_measures_articles_stored_before_the_grade_was(make_article):
    article = make_article(body=f"<p>{GRADE_12}</p>")
    Article.objects.update(reading_grade=None, body_rendering=1)
    render_stale_bodies(sender=None)
    assert Article.objects.get(pk=article.pk).reading_grade == GRADE_12_GRADE


@pytest.mark.parametrize("value", ["eight", "nan", "inf"])
def test_a_target_that_is_not_a_grade_is_refused_at_start(value):
    result = run_manage("check", READING_GRADE_TARGET=value)
    assert result.returncode != 0
    assert "READING_GRADE_TARGET must be a school grade such as 8" in result.stderr


def test_the_target_comes_from_the_environment():
    show = "from django.conf import settings; print(settings.READING_GRADE_TARGET)"
    default = run_manage("shell", "--no-imports", "-c", show)
    assert default.stdout.strip() == "8.0", default.stderr
    set_ = run_manage("shell", "--no-imports", "-c", show, READING_GRADE_TARGET="6.5")
    assert set_.stdout.strip() == "6.5", set_.stderr
