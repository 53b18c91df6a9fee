"""Fixtures that more than one kind of feed test uses."""

import pytest


@pytest.fixture
def full_article(make_full_article):
    return make_full_article(
        slug="treatment-after-relapse",
        body=(
            "<h2>Choices</h2>"
            '<p>See <a href="https://themmrf.org/relapse/">the MMRF</a> and '
            '<a href="/topics/relapse/">our relapse topic</a>, '
            '<a href="living-with-myeloma/">a sister article</a> and '
            '<a href="#choices">the choices</a>.</p>'
        ),
    )
