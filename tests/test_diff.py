"""The readable differences editors see between two versions."""

from articles.admin.diff import (
    diff_lines,
    diff_references,
    diff_snapshots,
    diff_words,
    html_to_lines,
)


def snapshot(**changes):
    return {
        "text": {"Title": "Relapse after a transplant"},
        "values": {"Status": "Draft"},
        "body": "<p>Most people feel tired.</p>",
        "topics": ["Relapse"],
        "tags": [],
        "references": {},
    } | changes


def reference(title, **fields):
    return {"title": title, "fields": {"Title": title} | fields}


def test_body_becomes_one_line_per_block():
    html = (
        "<h2>First steps</h2><p>Read <a href='https://themmrf.org/'>the guide</a>"
        " now.</p><ul><li><p>Ask about trials</p></li><li>Bring a list</li></ul>"
    )
    assert html_to_lines(html) == [
        "## First steps",
        "Read the guide [https://themmrf.org/] now.",
        "• Ask about trials",
        "• Bring a list",
    ]


def test_word_diff_marks_removed_and_added_words_and_escapes():
    assert diff_words("Take 1 <pill> daily", "Take 2 <pill> daily") == (
        "Take <del>1</del><ins>2</ins> &lt;pill&gt; daily"
    )


def test_same_lines_make_no_diff():
    assert diff_lines(["a", "b"], ["a", "b"]) == []


def test_unchanged_runs_fold_into_gaps():
    old = ["one", "two", "three", "four", "five", "six"]
    new = ["one", "two", "three", "four", "five", "six", "seven"]
    lines = diff_lines(old, new)
    assert [(line.kind, line.count) for line in lines] == [
        ("gap", 5),
        ("same", 0),
        ("added", 0),
    ]
    assert lines[-1].html == "<ins>seven</ins>"


def test_a_rewritten_paragraph_shows_as_removed_and_added():
    lines = diff_lines(["Rest often."], ["Ask your nurse about exercise classes."])
    assert [line.kind for line in lines] == ["removed", "added"]


def test_an_edited_paragraph_shows_its_changed_words():
    lines = diff_lines(
        ["Most people feel tired for a while."],
        ["Most people feel tired for a few weeks."],
    )
    assert [line.kind for line in lines] == ["changed"]
    assert lines[0].html == (
        "Most people feel tired for a <del>while</del><ins>few weeks</ins>."
    )


def test_references_added_removed_and_changed_by_title():
    old = {
        "1": reference("Relapsed myeloma", Publisher="Blood"),
        "2": reference("Old trial"),
    }
    new = {
        "1": reference("Relapsed myeloma", Publisher="MMRF"),
        "3": reference("New approval"),
    }
    changes = diff_references(old, new)
    assert [(c.kind, c.title) for c in changes] == [
        ("changed", "Relapsed myeloma"),
        ("added", "New approval"),
        ("removed", "Old trial"),
    ]
    assert changes[0].fields == [("Publisher", "Blood", "MMRF")]


def test_snapshots_compare_field_by_field():
    old = snapshot()
    new = snapshot(
        text={"Title": "Relapse after a stem cell transplant"},
        values={"Status": "Published"},
        body="<p>Most people feel tired.</p><p>It passes.</p>",
        topics=["Relapse", "Treatment"],
    )
    changes = {change.label: change for change in diff_snapshots(old, new)}
    assert set(changes) == {"Title", "Status", "Body", "Topics"}
    assert changes["Title"].html == ("Relapse after a <ins>stem cell </ins>transplant")
    assert (changes["Status"].old, changes["Status"].new) == ("Draft", "Published")
    assert [line.kind for line in changes["Body"].lines] == ["same", "added"]
    assert changes["Topics"].added == ["Treatment"]


def test_identical_snapshots_have_no_changes():
    assert diff_snapshots(snapshot(), snapshot()) == []
