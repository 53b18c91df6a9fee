import tracemalloc

import pytest
from django.core.management import CommandError

from articles.models import Article
from articles.wordpress import wxr
from tests.wordpress.conftest import EXPORT

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss><channel><item><title>&c;</title><wp:post_type
 xmlns:wp="http://wordpress.org/export/1.2/">post</wp:post_type></item></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""

ITEM = """<item><title>Post {n}</title><link>https://big.example/?p={n}</link>
<guid isPermaLink="false">https://big.example/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type></item>
"""


def write_export(path, posts, body="<p>Some words.</p>"):
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        )
        for n in range(1, posts + 1):
            out.write(ITEM.format(n=n, body=body))
        out.write("</channel></rss>")


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_attacks_are_refused_and_nothing_written(
    attack, tmp_path, import_wordpress
):
    export = tmp_path / "attack.xml"
    export.write_text(attack)
    with pytest.raises(wxr.NotAnExport, match="declares a document type"):
        list(wxr.read(export))
    with pytest.raises(CommandError, match="declares a document type"):
        import_wordpress(export)
    assert not Article.objects.exists()


def test_not_xml_and_not_rss_are_refused(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>")
    with pytest.raises(wxr.NotAnExport, match="not well-formed"):
        list(wxr.read(broken))
    atom = tmp_path / "atom.xml"
    atom.write_text('<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    with pytest.raises(wxr.NotAnExport, match="not an RSS file"):
        list(wxr.read(atom))


def test_export_is_read_in_file_order():
    records = list(wxr.read(EXPORT))
    assert isinstance(records[0], wxr.Site)
    assert records[0].base_site_url == "https://oldblog.example"
    items = [r for r in records if isinstance(r, wxr.Item)]
    assert [i.post_id for i in items][:3] == ["101", "201", "102"]
    assert items[0].meta["_thumbnail_id"] == "201"
    assert ("category", "myeloma", "Myeloma") in items[0].terms


def test_reading_holds_one_item_at_a_time(tmp_path):
    """A big export is read in the memory of a few posts, not of the file."""
    body = "<p>" + "A sentence about treatment. " * 200 + "</p>"
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_export(small, 200, body)
    write_export(large, 2000, body)
    peaks = []
    for export in (small, large):
        tracemalloc.start()
        count = sum(1 for r in wxr.read(export) if isinstance(r, wxr.Item))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count in (200, 2000)
    # Ten times the posts (11 MB of file) and about the same peak.
    assert large.stat().st_size > 10_000_000
    assert peaks[1] < 2 * peaks[0]
    assert peaks[1] < 2_000_000
