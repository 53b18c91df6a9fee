"""Full-text search on PostgreSQL, kept by the database itself.

articles_article.search_document is a weighted tsvector: title A, summary B,
body text C, topic and tag names and reference titles D, English configuration.
Triggers keep it right whatever writes the data (admin, ORM, bulk_create,
QuerySet.update(), raw SQL), so no application save hook can be skipped:

* the article's own BEFORE triggers compute it on insert, and on an update
  that changes the title, summary or body or sets the document to NULL (the
  way to ask for a recomputation by hand);
* statement-level AFTER triggers on references and on the topic and tag links
  replace the D part of the articles a statement touched, once per statement,
  so bulk_create of a thousand rows costs one pass, not a thousand;
* renaming a topic or tag does the same for the articles that carry it.

search_head, a stored generated column, is the document without the body's
words, for ranking broad searches cheaply.

Neither column is a model field: Django never selects them (a document is a
few kilobytes, and list pages, feeds and the sitemap load many articles) and
never writes a stale copy back. articles.search.postgres reads them.

The same triggers record the words articles use in articles_searchword, whose
trigram index suggests "Did you mean ...?" for misspellings. Words are never
removed (that would need a count per word and article), and some come from
unpublished articles: a respelled query is only offered when it finds more
published articles than what was typed.

On SQLite none of this exists: articles.search.simple matches text directly.
"""

from django.db import migrations, models

FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE articles_article ADD COLUMN search_document tsvector;
-- The title, summary and D words of the document, without the body's. Small
-- enough to stay in the table row (the document itself is a few kilobytes and
-- lives in TOAST storage), it ranks searches that match thousands of articles
-- without reading every document: see articles.search.postgres.
ALTER TABLE articles_article ADD COLUMN search_head tsvector
    GENERATED ALWAYS AS (ts_filter(search_document, '{a,b,d}')) STORED;

-- The body is sanitized HTML: its text, without tags. Tags inside a line of
-- text (links, bold, italic) join what they split ("<em>re</em>lapse"); the
-- others (paragraphs, headings, list items) separate words.
CREATE FUNCTION articles_html_text(html text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(
        regexp_replace(coalesce(html, ''), '</?(a|strong|em)(\s[^>]*)?>', '', 'gi'),
        '<[^>]*>', ' ', 'g')
$$;

-- What the article links to, weight D: topic and tag names, reference titles.
CREATE FUNCTION articles_search_extras(article bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT concat_ws(' ',
        (SELECT string_agg(t.name, ' ') FROM articles_article_topics l
           JOIN articles_topic t ON t.id = l.topic_id WHERE l.article_id = article),
        (SELECT string_agg(t.name, ' ') FROM articles_article_tags l
           JOIN articles_tag t ON t.id = l.tag_id WHERE l.article_id = article),
        (SELECT string_agg(r.title, ' ') FROM articles_reference r
          WHERE r.article_id = article))
$$;

CREATE FUNCTION articles_search_document(
    article bigint, title text, summary text, body text
) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english', articles_html_text(body)), 'C')
        || setweight(to_tsvector('english', articles_search_extras(article)), 'D')
$$;

-- Unstemmed words of 3 to 40 letters, for spelling suggestions. The parser
-- knows HTML tags and entities and leaves them out.
CREATE FUNCTION articles_remember_words(content text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO articles_searchword (word)
    SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', coalesce(content, '')))) AS w
     WHERE w ~ '^[[:alpha:]]{3,40}$'
       AND NOT EXISTS (SELECT 1 FROM articles_searchword s WHERE s.word = w)
    ON CONFLICT (word) DO NOTHING
$$;

CREATE FUNCTION articles_article_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := articles_search_document(
        NEW.id, NEW.title, NEW.summary, NEW.body);
    IF TG_OP = 'INSERT' OR (NEW.title, NEW.summary, NEW.body)
            IS DISTINCT FROM (OLD.title, OLD.summary, OLD.body) THEN
        PERFORM articles_remember_words(
            concat_ws(' ', NEW.title, NEW.summary, NEW.body));
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_article_search_insert
BEFORE INSERT ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_search_trigger();

-- Status or date changes are outside the column list and cost nothing.
-- Setting the document to NULL asks for it to be recomputed.
CREATE TRIGGER articles_article_search_update
BEFORE UPDATE OF title, summary, body, search_document ON articles_article
FOR EACH ROW WHEN (
    (NEW.title, NEW.summary, NEW.body) IS DISTINCT FROM (OLD.title, OLD.summary, OLD.body)
    OR NEW.search_document IS NULL
) EXECUTE FUNCTION articles_article_search_trigger();

-- The D part (topics, tags, references) of some articles changed: replace it
-- and keep the title, summary and body parts, whose parsing is the costly bit.
-- ts_filter keeps the A, B and C positions; concatenation places the new D
-- words after them, exactly where a full recomputation would. A NULL document
-- stays NULL here and is then recomputed whole by the trigger above.
CREATE FUNCTION articles_search_relink(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE articles_article
       SET search_document = ts_filter(search_document, '{a,b,c}')
           || setweight(to_tsvector('english', articles_search_extras(id)), 'D')
     WHERE id = ANY(ids)
$$;

-- Rows that point at an article (references, topic and tag links) changed:
-- relink each article the statement touched, once.
CREATE FUNCTION articles_search_linked_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM articles_search_relink(ARRAY(SELECT article_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM articles_search_relink(ARRAY(SELECT article_id FROM old_rows));
    ELSE
        PERFORM articles_search_relink(ARRAY(
            SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    END IF;
    IF TG_TABLE_NAME = 'articles_reference' AND TG_OP <> 'DELETE' THEN
        PERFORM articles_remember_words(string_agg(title, ' ')) FROM new_rows;
    END IF;
    RETURN NULL;
END
$$;

-- A topic or tag: remember its words; renamed, relink its articles.
-- TG_ARGV: the link table and its column for this kind of name.
CREATE FUNCTION articles_search_name_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_remember_words(NEW.name);
    IF TG_OP = 'UPDATE' THEN
        EXECUTE format(
            'SELECT articles_search_relink(ARRAY(SELECT article_id FROM %I WHERE %I = $1))',
            TG_ARGV[0], TG_ARGV[1]) USING NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_topic_search_insert AFTER INSERT ON articles_topic
FOR EACH ROW EXECUTE FUNCTION articles_search_name_changed('articles_article_topics', 'topic_id');
CREATE TRIGGER articles_topic_search_rename AFTER UPDATE OF name ON articles_topic
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
EXECUTE FUNCTION articles_search_name_changed('articles_article_topics', 'topic_id');
CREATE TRIGGER articles_tag_search_insert AFTER INSERT ON articles_tag
FOR EACH ROW EXECUTE FUNCTION articles_search_name_changed('articles_article_tags', 'tag_id');
CREATE TRIGGER articles_tag_search_rename AFTER UPDATE OF name ON articles_tag
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
EXECUTE FUNCTION articles_search_name_changed('articles_article_tags', 'tag_id');

"""

INDEXES = r"""
CREATE INDEX articles_article_search_document_gin
    ON articles_article USING gin (search_document);
CREATE INDEX articles_searchword_word_trgm
    ON articles_searchword USING gin (word gin_trgm_ops);
"""

# Runs after every trigger exists: setting the document to NULL recomputes it.
BACKFILL = r"""
UPDATE articles_article SET search_document = NULL;
SELECT articles_remember_words(concat_ws(' ', title, summary, body)) FROM articles_article;
SELECT articles_remember_words(name) FROM articles_topic;
SELECT articles_remember_words(name) FROM articles_tag;
SELECT articles_remember_words(title) FROM articles_reference;
"""

# Transition tables allow one event per trigger: three triggers per table.
LINKED_TABLES = ["articles_reference", "articles_article_topics", "articles_article_tags"]
TRANSITIONS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}
LINKED_TRIGGERS = "".join(
    f"CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table} "
    f"{transition} FOR EACH STATEMENT "
    "EXECUTE FUNCTION articles_search_linked_rows_changed();\n"
    for table in LINKED_TABLES
    for event, transition in TRANSITIONS.items()
)

BACKWARD = (
    "".join(
        f"DROP TRIGGER IF EXISTS {table}_search_{event.lower()} ON {table};\n"
        for table in LINKED_TABLES
        for event in TRANSITIONS
    )
    + r"""
DROP TRIGGER IF EXISTS articles_topic_search_insert ON articles_topic;
DROP TRIGGER IF EXISTS articles_topic_search_rename ON articles_topic;
DROP TRIGGER IF EXISTS articles_tag_search_insert ON articles_tag;
DROP TRIGGER IF EXISTS articles_tag_search_rename ON articles_tag;
DROP TRIGGER IF EXISTS articles_article_search_insert ON articles_article;
DROP TRIGGER IF EXISTS articles_article_search_update ON articles_article;
DROP FUNCTION IF EXISTS articles_search_name_changed();
DROP FUNCTION IF EXISTS articles_search_linked_rows_changed();
DROP FUNCTION IF EXISTS articles_search_relink(bigint[]);
DROP FUNCTION IF EXISTS articles_article_search_trigger();
DROP FUNCTION IF EXISTS articles_remember_words(text);
DROP FUNCTION IF EXISTS articles_search_document(bigint, text, text, text);
DROP FUNCTION IF EXISTS articles_search_extras(bigint);
DROP FUNCTION IF EXISTS articles_html_text(text);
DROP INDEX IF EXISTS articles_searchword_word_trgm;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_head;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document;
-- pg_trgm stays: other parts of the database may have come to use it.
"""
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (FORWARD, LINKED_TRIGGERS, INDEXES, BACKFILL):
        # params=None: the SQL is run as written, without %-interpolation.
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_rendition"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    models.CharField(max_length=40, primary_key=True, serialize=False),
                ),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
