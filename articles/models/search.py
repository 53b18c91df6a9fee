"""The vocabulary that spelling suggestions draw on."""

from django.db import models


class SearchWord(models.Model):
    """A word some article uses, unstemmed and lowercase ("myeloma", "remission").

    On PostgreSQL the triggers of migration 0004 fill this table whenever an
    article, reference, topic or tag is written, and a trigram index finds the
    nearest word to a misspelled one. SQLite leaves it empty.
    """

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self):
        return self.word
