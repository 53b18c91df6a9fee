"""Take away what load_demo_content loaded, before a site goes live.

It removes the demo's articles (with their references, reviews and notes, and
their revisions), images, authors, topics, tags, site pages and glossary terms,
and nothing an editor wrote: a demo article, site page or glossary term that
someone has changed since, and a
demo author, image, topic or tag that any other article still uses, stay, and
are listed, to be dealt with in the admin.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from reversion.models import Revision, Version

from articles.glossary.demo import demo_terms
from articles.images import uses
from articles.images.models import Image
from articles.management.commands.load_demo_content import (
    ARTICLES,
    AUTHORS,
    REVISION_COMMENT,
    TAGS,
    TOPICS,
    image_description,
)
from articles.models import Article, Author, Tag, Topic
from articles.pages.demo import DEMO_NOTICE, PAGES
from articles.pages.models import Page
from articles.sanitize import clean_html


def untouched(article):
    """Still as the demo loaded it: nobody has saved, moved or reviewed it."""
    comments = Version.objects.get_for_object(article).values_list(
        "revision__comment", flat=True
    )
    return (
        article.created_by_id is None
        and article.modified_by_id is None
        and set(comments) <= {REVISION_COMMENT}
        and not article.transitions.exists()
        and not article.medical_reviews.exclude(recorded_by=None).exists()
        and not hasattr(article, "pending_change")
    )


def demo_articles():
    """The demo's articles: (untouched, changed since)."""
    slugs = [slugify(data["title"]) for data in ARTICLES]
    titles = [data["title"] for data in ARTICLES]
    articles = Article.objects.filter(slug__in=slugs, title__in=titles)
    kept = [article for article in articles if not untouched(article)]
    return [a for a in articles if a not in kept], kept


def demo_pages():
    """The demo's site pages: (as the demo wrote them, changed since)."""
    removable, kept = [], []
    for data in PAGES:
        page = Page.objects.filter(slug=data["slug"], title=data["title"]).first()
        if page is None:
            continue
        if page.body == clean_html(DEMO_NOTICE + data["body"].strip()):
            removable.append(page)
        else:
            kept.append(page)
    return removable, kept


def demo_images():
    described = [image_description(data["image"]) for data in ARTICLES]
    return [
        image
        for image in Image.objects.filter(uploaded_by=None)
        if any(
            all(getattr(image, name) == value for name, value in fields.items())
            for fields in described
        )
    ]


def shown(image):
    return any(use.of(image).exists() for use in uses.registered())


class Command(BaseCommand):
    help = "Remove the demo content, and nothing an editor wrote."

    def handle(self, *args, **options):
        with transaction.atomic():
            removed, kept = self.remove()
        for line in removed:
            self.stdout.write(self.style.SUCCESS(f"Removed {line}"))
        for line in kept:
            self.stdout.write(self.style.WARNING(f"Kept {line}"))
        if not removed and not kept:
            self.stdout.write("No demo content found.")

    def remove(self):
        removed, kept = [], []
        articles, changed = demo_articles()
        for article in changed:
            kept.append(f"article “{article.title}”: changed since it was loaded.")
        # Their first revisions too, so that they are not offered for recovery.
        revisions = Revision.objects.filter(
            comment=REVISION_COMMENT,
            user=None,
            version__object_id__in=[str(article.pk) for article in articles],
            version__content_type__model="article",
        )
        revisions.delete()
        for article in articles:
            article.delete()
            removed.append(f"article “{article.title}”")

        pages, changed = demo_pages()
        for page in changed:
            kept.append(f"site page “{page.title}”: changed since it was loaded.")
        for page in pages:
            page.delete()
            removed.append(f"site page “{page.title}”")

        terms, changed = demo_terms()
        for term in changed:
            kept.append(f"glossary term “{term.term}”: changed since it was loaded.")
        for term in terms:
            term.delete()
            removed.append(f"glossary term “{term.term}”")

        for image in demo_images():
            if shown(image):
                kept.append(f"image “{image.alt_text}”: still shown.")
            else:
                image.delete()
                removed.append(f"image “{image.alt_text}”")

        for author in Author.objects.filter(
            name__in=[data["name"] for data in AUTHORS], user=None
        ):
            try:
                author.delete()
            except ProtectedError:
                kept.append(f"author “{author.name}”: still named on articles.")
            else:
                removed.append(f"author “{author.name}”")

        for model, names in ((Topic, [name for name, _ in TOPICS]), (Tag, TAGS)):
            label = model._meta.verbose_name
            for item in model.objects.filter(name__in=names):
                if item.articles.exists():
                    kept.append(f"{label} “{item.name}”: other articles use it.")
                else:
                    item.delete()
                    removed.append(f"{label} “{item.name}”")
        return removed, kept
