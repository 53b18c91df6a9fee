from articles.models import Article
from articles.sanitize import clean_html


def test_script_tags_and_their_content_are_removed():
    assert clean_html("<p>Hi</p><script>alert(1)</script>") == "<p>Hi</p>"


def test_event_handler_attributes_are_removed():
    assert clean_html('<p onclick="steal()">Hi</p>') == "<p>Hi</p>"


def test_javascript_links_lose_their_href():
    cleaned = clean_html('<a href="javascript:alert(1)">Sources</a>')
    assert "javascript" not in cleaned
    assert "Sources" in cleaned


def test_style_and_iframe_are_removed():
    cleaned = clean_html(
        '<style>p{color:red}</style><iframe src="https://x.test"></iframe><p>ok</p>'
    )
    assert cleaned == "<p>ok</p>"


def test_editor_markup_is_kept():
    html = (
        "<h2>After treatment</h2><p><strong>Rest</strong> and <em>eat</em>.</p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>q</p></blockquote>"
    )
    assert clean_html(html) == html


def test_links_keep_href_and_gain_safe_rel():
    cleaned = clean_html('<a href="https://www.cancer.gov/" target="_blank">NCI</a>')
    assert cleaned == (
        '<a href="https://www.cancer.gov/" rel="noopener noreferrer">NCI</a>'
    )


def test_headings_outside_h2_to_h4_keep_only_their_text():
    assert clean_html("<h1>Title</h1><h5>Small</h5>") == "TitleSmall"


def test_empty_editor_paragraph_is_stored_as_empty():
    assert clean_html("<p></p>") == ""


def test_save_sanitizes_the_body(make_article):
    article = make_article(body='<p onmouseover="x()">Hi</p><script>bad()</script>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_queryset_update_sanitizes_the_body(make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(body="<img src=x onerror=alert(1)>")
    article.refresh_from_db()
    assert article.body == ""


def test_bulk_create_sanitizes_the_body(db):
    Article.objects.bulk_create(
        [
            Article(
                title="Imported",
                slug="imported",
                summary="s",
                body="<p>a</p><script>b</script>",
            )
        ]
    )
    assert Article.objects.get(slug="imported").body == "<p>a</p>"


def test_empty_attributes_are_dropped():
    assert clean_html('<a href="https://nci.nih.gov/" title="">NCI</a>') == (
        '<a href="https://nci.nih.gov/" rel="noopener noreferrer">NCI</a>'
    )
