"""Who may change a library image, given the articles that show it.

An image on an article past its draft is part of what a medical reviewer
checked or what readers see (its page, its sharing card, the feeds): replacing
its file, alt text or credit changes that article with nobody reviewing the
change. So that is an editor's action. Authors change only images they
uploaded, and only while no article past its draft uses them, nor proposes
to in a change waiting for review.

The image library knows nothing of articles: ArticlesConfig.ready() registers
the featured image as a use of its images and change_refusal() as its rule.
"""

from articles import workflow
from articles.images import rights, uses
from articles.models import Article, PendingChange, Status


def articles_using(images):
    """The articles whose featured image is ``images``: one image or several."""
    if hasattr(images, "pk"):
        return Article.objects.filter(featured_image=images)
    return Article.objects.filter(featured_image__in=images)


def proposed_for_live_article(image):
    """Whether a change to a live article, waiting for review or publishing,
    makes ``image`` its featured image: what its reviewer checks, or checked."""
    return PendingChange.objects.filter(
        content__fields__featured_image=image.pk
    ).exists()


def change_refusal(user, image):
    """Why ``user`` may not change ``image``: a sentence, or "" if they may."""
    if workflow.is_editor(user):
        return ""
    if image.uploaded_by_id is None or image.uploaded_by_id != user.pk:
        return (
            "Someone else uploaded this image, so only editors can change it. "
            "To use a different picture, upload your own."
        )
    if articles_using(image).exclude(
        status=Status.DRAFT
    ).exists() or proposed_for_live_article(image):
        return (
            "An article past its draft (in review, approved, published or "
            "unpublished) uses this image, so only editors can change it now."
        )
    return ""


def status_note(article):
    return article.get_status_display().lower()


def plug_in():
    """Tell the image library about articles' images: called once the apps load."""
    uses.register(
        Article,
        "featured_image",
        note=status_note,
        one="an article",
        consequence="on a live article, readers and sharing cards lose it at once",
    )
    rights.register(change_refusal)
