"""The people who write articles."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Author(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The admin login of this person, if they have one.",
    )
    name = models.CharField("display name", max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    credentials = models.CharField(
        max_length=150,
        blank=True,
        help_text="Shown after the name, e.g. “RN, oncology nurse” or “MD, haematologist”.",
    )
    bio = models.TextField(
        blank=True, help_text="Two or three sentences: training, experience, focus."
    )
    # Feeds carry authors' names: a change must reach their readers.
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})
