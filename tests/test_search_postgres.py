"""What only PostgreSQL does: the trigger-kept document, stemming, weights,
the word list behind suggestions, and the GIN index.

Data is changed with QuerySet.update(), bulk_create() and raw SQL, which run
no save() and no signal: whatever keeps the document right is in the database.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Reference, SearchWord, Tag, Topic
from articles.search import matching, postgres, search

pytestmark = pytest.mark.postgres


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def found(query):
    return [article.title for article in search(query).page]


def document(article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document::text, search_head::text FROM articles_article "
            "WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_document_is_weighted_by_where_words_are(make_article, make_reference, topic):
    article = make_article(
        title="Relapse",
        summary="Smouldering disease.",
        body="<p>Induction <em>therapy</em>.</p>",
    )
    article.topics.add(topic)
    make_reference(article, title="Daratumumab outcomes")
    full, head = document(article)
    for lexeme in ["'relaps':1A", "'smoulder':2B", "'induct':4C", "'therapi':5C"]:
        assert lexeme in full
    assert "'daratumumab':" in full and "'daratumumab':1" not in full
    assert "'induct'" not in head and "'relaps':1A" in head and "'daratumumab'" in head


def test_title_and_body_changes_by_update_are_searchable(make_article):
    article = make_article(title="Old title", body="<p>Nothing here.</p>")
    Article.objects.filter(pk=article.pk).update(title="Plasmacytoma explained")
    assert found("plasmacytoma") == ["Plasmacytoma explained"]
    assert found('"old title"') == []
    Article.objects.filter(pk=article.pk).update(body="<p>About hyperviscosity.</p>")
    assert found("hyperviscosity") == ["Plasmacytoma explained"]
    assert found("nothing") == []


def test_summary_change_by_raw_sql_is_searchable(make_article):
    article = make_article(title="Raw")
    sql(
        "UPDATE articles_article SET summary = %s WHERE id = %s",
        ["Cryoglobulins", article.pk],
    )
    assert found("cryoglobulins") == ["Raw"]


def test_status_changes_keep_the_document(make_article, topic):
    article = make_article(title="Kept")
    article.topics.add(topic)
    Article.objects.filter(pk=article.pk).update(status="draft")
    Article.objects.filter(pk=article.pk).update(status="published")
    article.refresh_from_db()
    article.save()  # Django does not know the column, so cannot blank it.
    assert found("relapse") == ["Kept"]


def test_topics_added_and_removed_by_raw_sql(make_article):
    article = make_article(title="Linked")
    topic = Topic.objects.create(name="Amyloidosis", slug="amyloidosis")
    sql(
        "INSERT INTO articles_article_topics (article_id, topic_id) VALUES (%s, %s)",
        [article.pk, topic.pk],
    )
    assert found("amyloidosis") == ["Linked"]
    sql("DELETE FROM articles_article_topics WHERE topic_id = %s", [topic.pk])
    assert found("amyloidosis") == []


def test_renamed_topic_and_tag_are_searchable_by_their_new_names(make_article, topic):
    article = make_article(title="Renamed")
    article.topics.add(topic)
    article.tags.add(Tag.objects.create(name="Bones", slug="bones"))
    Topic.objects.filter(pk=topic.pk).update(name="Recurrence")
    Tag.objects.filter(slug="bones").update(name="Skeleton")
    assert found("recurrence") == ["Renamed"]
    assert found("skeleton") == ["Renamed"]
    assert found("relapse") == []
    assert found("bones") == []


def test_tags_linked_in_bulk_are_searchable(make_article):
    articles = [make_article(title=f"Bulk {n}") for n in range(3)]
    tag = Tag.objects.create(name="Neuropathy", slug="neuropathy")
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article_id=article.pk, tag_id=tag.pk)
        for article in articles
    )
    assert sorted(found("neuropathy")) == ["Bulk 0", "Bulk 1", "Bulk 2"]


def test_references_added_changed_and_deleted(make_article, make_reference):
    article = make_article(title="Cited")
    reference = make_reference(article, title="Teclistamab in relapsed myeloma")
    assert found("teclistamab") == ["Cited"]
    Reference.objects.filter(pk=reference.pk).update(title="Elranatamab trial")
    assert found("teclistamab") == []
    assert found("elranatamab") == ["Cited"]
    Reference.objects.filter(pk=reference.pk).delete()
    assert found("elranatamab") == []


def test_blanking_the_document_recomputes_it(make_article):
    article = make_article(title="Recomputed")
    before = document(article)
    sql("UPDATE articles_article SET search_document = NULL")
    assert document(article) == before


def test_stemming_and_hyphenated_terms(make_article):
    make_article(title="When myeloma relapses", body="<p>CAR-T cell therapy helps.</p>")
    assert found("relapsed") == ["When myeloma relapses"]
    assert found("CAR-T") == ["When myeloma relapses"]


def test_topic_match_ranks_below_a_body_match(make_article, topic):
    make_article(title="Topic only").topics.add(topic)
    make_article(title="Body", body="<p>A relapse.</p>", published_at=days_ago(10))
    assert found("relapse") == ["Body", "Topic only"]


def test_broad_searches_rank_by_title_summary_and_topics(make_article, monkeypatch):
    monkeypatch.setattr(postgres, "FULL_RANK_LIMIT", 1)
    make_article(title="Body only", body="<p>Fatigue fatigue fatigue.</p>")
    make_article(title="Fatigue in the title")
    make_article(title="In the summary", summary="Fatigue after treatment.")
    assert found("fatigue") == ["Fatigue in the title", "In the summary", "Body only"]


@pytest.mark.parametrize(
    ("typed", "meant"), [("myelomma", "myeloma"), ("remision", "remission")]
)
def test_misspelled_word_still_finds_the_article(make_article, typed, meant):
    make_article(title=f"Understanding {meant}")
    results = search(typed)
    assert results.corrected_from == typed
    assert results.query == meant
    assert [article.title for article in results.page] == [f"Understanding {meant}"]


def test_words_only_in_bodies_are_suggested(client, make_article):
    make_article(
        title="When treatment stops working", body="<p>Refractory disease.</p>"
    )
    response = client.get(reverse("articles:search"), {"q": "refactory"})
    assert (
        "Showing results for “<strong>refractory</strong>”" in response.content.decode()
    )


def test_word_list_holds_words_from_every_source(make_article, make_reference, topic):
    article = make_article(title="Zoledronic acid", body="<p>Osteonecrosis risk.</p>")
    make_reference(article, title="Denosumab study")
    article.tags.add(Tag.objects.create(name="Hypercalcaemia", slug="hypercalcaemia"))
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {
        "zoledronic",
        "osteonecrosis",
        "denosumab",
        "hypercalcaemia",
        "relapse",
    } <= words
    assert not any(word.isdigit() or len(word) < 3 for word in words)


@pytest.fixture
def many_articles(db):
    """2,000 short articles, analyzed; one in ten has the word "treatment"."""
    sql(
        "INSERT INTO articles_article (uuid, title, slug, summary, body, status, "
        "published_at, created_at, modified_at) "
        "SELECT gen_random_uuid(), 'Note ' || n, 'note-' || n, 'Fatigue and sleep.', "
        "CASE WHEN mod(n, 10) = 0 THEN '<p>Treatment</p>' ELSE '<p>Rest</p>' END, "
        "'published', now(), now(), now() "
        "FROM generate_series(1, 2000) AS n"
    )
    # As autovacuum would: new entries wait in the GIN index's pending list,
    # which the planner prices as a scan of every one of them.
    sql("SELECT gin_clean_pending_list('articles_article_search_document_gin')")
    sql("ANALYZE articles_article")


def test_every_search_uses_the_gin_index(many_articles, monkeypatch):
    # For a word in every article the planner, which does not count reading
    # documents out of TOAST storage, would scan them all: planned() is what
    # steers searches to the index. Past FULL_RANK_LIMIT, search_head ranks.
    monkeypatch.setattr(postgres, "FULL_RANK_LIMIT", 100)
    with postgres.planned():
        paginator = postgres.paginator(Article.objects.published(), "treatment", 10)
        first_page = paginator.object_list[:10].explain()
        counted = (
            matching(Article.objects.published(), "treatment").order_by().explain()
        )
    assert paginator.rank_column == "search_head"
    for plan in [counted, first_page]:
        assert "Bitmap Index Scan on articles_article_search_document_gin" in plan


def test_spelling_suggestions_use_the_trigram_index(db):
    sql(
        "INSERT INTO articles_searchword (word) "
        "SELECT 'word' || md5(n::text) FROM generate_series(1, 50000) AS n"
    )
    sql("ANALYZE articles_searchword")
    with postgres.planned(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + postgres.SUGGEST_SQL, [["myelomma"]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on articles_searchword_word_trgm" in plan


def test_admin_search_uses_full_text_search(admin_client, make_article, make_reference):
    make_article(title="Relapsed disease", status="draft")
    make_reference(make_article(title="Cited"), title="Daratumumab outcomes")
    make_article(title="Relapse and lymphoma")
    url = reverse("admin:articles_article_changelist")

    def titles(query):
        response = admin_client.get(url, {"q": query})
        return sorted(a.title for a in response.context["cl"].result_list)

    assert titles("relapse -lymphoma") == ["Relapsed disease"]
    assert titles("daratumumab") == ["Cited"]
    # Django's own search form refuses a NUL byte before the search sees it.
    assert admin_client.get(url, {"q": "relapse\x00"}).status_code == 200
