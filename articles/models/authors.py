"""The people who write articles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

# The permission that makes a login a medical reviewer (the "Medical
# reviewers" group has it; see migration 0006).
REVIEW_PERMISSION = {
    "content_type__app_label": "articles",
    "codename": "review_article",
}


class AuthorQuerySet(models.QuerySet):
    def reviewers(self):
        """People who may be named as medical reviewers: an active login with
        the reviewers' permission, and credentials readers can see."""
        perm = {
            f"permissions__{key}": value for key, value in REVIEW_PERMISSION.items()
        }
        has_permission = (
            Q(user__is_superuser=True)
            | Q(**{f"user__groups__{key}": value for key, value in perm.items()})
            | Q(**{f"user__user_{key}": value for key, value in perm.items()})
        )
        return (
            self.exclude(credentials="")
            .filter(user__is_active=True)
            .filter(
                pk__in=Author.objects.filter(has_permission).values("pk"),
            )
        )


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

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})
