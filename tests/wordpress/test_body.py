from articles.wordpress.body import clean_body
from articles.wordpress.credits import find_credit_line
from articles.wordpress.sources import find_sources


def test_classic_text_gets_paragraphs_and_line_breaks():
    html = clean_body("First line\nsecond line\n\nNext paragraph").html
    assert html == "<p>First line<br>\nsecond line</p>\n<p>Next paragraph</p>"


def test_block_comments_go_and_blocks_stay():
    text = "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->"
    assert clean_body(text).html == "<p>One</p>"


def test_unknown_shortcode_keeps_its_text_and_is_reported():
    body = clean_body("Before [highlight colour=red]the words[/highlight] after")
    assert body.html == "<p>Before the words after</p>"
    assert body.notes == ["[highlight] shortcode removed; the text inside it kept."]


def test_square_brackets_that_are_not_shortcodes_stay():
    body = clean_body("He said [sic] twice, as note [1] explains. [[gallery]]")
    assert body.html == "<p>He said [sic] twice, as note [1] explains. [gallery]</p>"
    assert body.notes == []


def test_embed_becomes_a_link():
    body = clean_body("[embed]https://video.example/watch/42[/embed]")
    assert '<a href="https://video.example/watch/42">' in body.html
    assert body.notes == ["Embedded https://video.example/watch/42 turned into a link."]


def test_credit_line_forms():
    for line, credit in [
        ("Featured image: Stockfolio / lensmaker", "Stockfolio / lensmaker"),
        ("Photo by Ana Ruiz on Picsplash", "Ana Ruiz on Picsplash"),
        ("Image credit: Wellcome Pictures", "Wellcome Pictures"),
    ]:
        found, rest = find_credit_line(f"<p>Text.</p>\n<p>{line}</p>")
        assert (found, rest) == (credit, "<p>Text.</p>")
    assert find_credit_line("<p>Images help readers: use them.</p>")[0] is None


def test_publisher_is_found_in_the_sentence_before_a_vague_link():
    html = (
        "<p>Results were good, according to the Lymph Node Society. "
        'Read it <a href="https://lns.example.org/x">here</a>.</p>'
    )
    [source] = find_sources(html)
    assert (source.publisher, source.title, source.is_vague) == (
        "Lymph Node Society",
        "Lymph Node Society",
        True,
    )


def test_links_to_the_old_site_are_not_sources():
    html = '<p><a href="https://oldblog.example/2020/01/01/x/">Our older post</a></p>'
    assert find_sources(html, ["oldblog.example"]) == []
