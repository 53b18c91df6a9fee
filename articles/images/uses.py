"""What shows library images, as the apps that show them register it.

The library cannot tell by itself which of its images are in use: the rows
that show them belong to other apps. Each app registers a Use (a model and its
foreign key to Image) from its AppConfig.ready(), and the image admin counts,
lists and warns about uses through these.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def no_note(obj):
    return ""


@dataclass(frozen=True)
class Use:
    """Rows of ``model`` show an image through their foreign key ``field``.

    The rest is what the image admin says of them: ``note`` after each one's
    name (its status, say); ``one`` for a single row ("an article"), and
    ``consequence``, what deleting an image they show does to them.
    """

    model: type
    field: str
    note: Callable = no_note
    one: str = ""
    consequence: str = ""

    @property
    def count_name(self):
        """The annotation, and admin column, that counts these uses per image."""
        return f"{self.model._meta.model_name}_count"

    def of(self, images):
        """The rows that show ``images``: one image or several."""
        if hasattr(images, "pk"):
            return self.model._default_manager.filter(**{self.field: images})
        return self.model._default_manager.filter(**{f"{self.field}__in": images})

    def count_per_image(self):
        """How many rows show each image, for annotating a queryset of images."""
        counts = (
            self.model._default_manager.filter(**{self.field: OuterRef("pk")})
            .order_by()
            .values(self.field)
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


_registered = []


def register(model, field, **wording):
    use = Use(model, field, **wording)
    if use not in _registered:
        _registered.append(use)
    return use


def registered():
    return tuple(_registered)


def annotate_counts(images):
    """``images`` with each Use's count of them, under its ``count_name``."""
    return images.annotate(
        **{use.count_name: use.count_per_image() for use in _registered}
    )
