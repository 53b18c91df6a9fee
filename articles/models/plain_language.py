"""The editors' list of words with a plainer alternative ("utilise → use")."""

from django.db import models


class PlainerWordQuerySet(models.QuerySet):
    def pairs(self):
        """(word, plainer) pairs, as articles.reading_level.measure() takes them."""
        return list(self.values_list("word", "plainer"))


class PlainerWord(models.Model):
    word = models.CharField(
        max_length=100,
        unique=True,
        help_text="A word or short phrase readers may stumble on, e.g. “utilise” "
        "or “prior to”. Its -s, -ed and -ing forms are found too, in any case.",
    )
    plainer = models.CharField(
        "plainer alternative",
        max_length=100,
        help_text="What to write instead, e.g. “use” or “before”.",
    )

    objects = PlainerWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return f"{self.word} → {self.plainer}"

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the uniqueness check, so that "Utilise" is refused as a
        # second "utilise" rather than failing in the database.
        self.normalize()

    def normalize(self):
        """One spelling per word: lower case, single spaces."""
        self.word = " ".join(self.word.lower().split())
        self.plainer = " ".join(self.plainer.split())
