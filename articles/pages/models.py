"""Site pages: an About page, the editorial policy, contact, privacy, or any other."""

from html import unescape

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.fields import SanitizedHTMLField
from articles.sanitize import clean_html


def now_to_the_second():
    # HTML's datetime attribute, which shows readers this date, takes no
    # microseconds.
    return timezone.now().replace(microsecond=0)


class Purpose(models.TextChoices):
    """What a page tells readers. The publisher's structured data points at
    each page by its purpose (articles.structured_data.POLICY_PROPERTIES)."""

    ABOUT = "about", "About: who runs the site and who pays for it"
    EDITORIAL_POLICY = "editorial-policy", "How we write and review"
    CONTACT = "contact", "Contact and feedback"
    PRIVACY = "privacy", "Privacy"


class PageQuerySet(models.QuerySet):
    def published(self):
        """Shown to readers and linked from the foot of every page."""
        return self.filter(is_published=True)


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The page’s address: “about” makes /about/. Changing it breaks "
        "links to the old address.",
    )
    purpose = models.CharField(
        max_length=20,
        choices=Purpose,
        blank=True,
        help_text="Tells search engines that this is the site’s about page, "
        "editorial policy or contact page. One page per purpose; leave empty "
        "for any other page.",
    )
    body = SanitizedHTMLField(blank=True)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Readers see the page, and a link to it at the foot of every "
        "page. Untick to hide it: its address then shows “page not found”.",
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order of the links at the foot of every page: lower numbers "
        "come first.",
    )
    updated_at = models.DateTimeField(
        "last updated",
        default=now_to_the_second,
        editable=False,
        help_text="Shown to readers. Set when a save changes the title or text.",
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose"],
                condition=~Q(purpose=""),
                name="one_page_per_purpose",
                violation_error_message="Another page already has this purpose.",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.changes_what_readers_read():
            self.updated_at = now_to_the_second()
            if (fields := kwargs.get("update_fields")) is not None:
                kwargs["update_fields"] = {*fields, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})

    def clean(self):
        # Pages take any one-word address the site does not use itself; one
        # it does use (/topics/, /search/, /admin/) would never show the page.
        try:
            match = resolve(f"/{self.slug}/")
        except Resolver404:
            return  # Not a valid slug: the slug field says so.
        if match.view_name != "pages:detail":
            raise ValidationError(
                {"slug": "The site already uses this address; choose another."}
            )

    def changes_what_readers_read(self):
        """True for a new page, or when the title or text differs from the
        stored one: "Last updated" must not move for a save that changed nothing,
        or only the order or address."""
        if self._state.adding:
            return True
        stored = Page.objects.filter(pk=self.pk).values_list("title", "body").first()
        return stored != (self.title, clean_html(self.body))

    @property
    def body_html(self):
        """The body for the page template. It was sanitized when saved; cleaning
        it again keeps a row written around the model (raw SQL, a restored
        dump) from reaching readers unsanitized, and costs microseconds."""
        return mark_safe(clean_html(self.body))

    @property
    def description(self):
        """The first words of the text, for search engines and sharing cards."""
        return Truncator(unescape(strip_tags(self.body_html))).words(30)
