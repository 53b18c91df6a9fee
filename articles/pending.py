"""Changes to a published medical article that wait for review.

Readers keep the published text, and the review line that describes it, while
a change to its medical content is checked: the proposed article is stored as
data on a PendingChange (the live row is untouched), shown to editors and
reviewers in its place, and written into the article only when it is
published. Wagtail keeps draft changes to a live page the same way.

``content`` holds what an editor can change in the article form: its own
fields, topics, tags and references (with their ids, so that publishing
updates the references readers know rather than making new ones).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder

from articles.images.models import Image
from articles.models import (
    Article,
    Author,
    MedicalReview,
    PendingChange,
    Reference,
    SlugRedirect,
    Tag,
    Topic,
)
from articles.models.articles import loaded

FIELDS = ("title", "slug", "summary", "body", "featured_image", "author")
RELATED = {"topics": Topic, "tags": Tag}
REFERENCE_FIELDS = tuple(
    field.name
    for field in Reference._meta.concrete_fields
    if field.name not in ("id", "article")
)


def content_of(article, topics, tags, references):
    """The proposed article as JSON data: ``article`` with its new field values,
    the chosen topics and tags, and the references as they should end up."""
    fields = {}
    for name in FIELDS:
        field = Article._meta.get_field(name)
        fields[name] = getattr(article, field.attname)
    return {
        "fields": fields,
        "topics": sorted(topic.pk for topic in topics),
        "tags": sorted(tag.pk for tag in tags),
        "references": [
            {"id": reference.pk, **reference_values(reference)}
            for reference in sorted(references, key=lambda r: r.position or 10**9)
        ],
    }


def reference_values(reference):
    return {name: getattr(reference, name) for name in REFERENCE_FIELDS}


def typed(model, name, value):
    """A stored JSON value back as the field's Python type (dates are strings)."""
    field = model._meta.get_field(name)
    return field.to_python(value)


def proposed_references(article, content):
    return [
        Reference(
            pk=data["id"],
            article=article,
            **{name: typed(Reference, name, data[name]) for name in REFERENCE_FIELDS},
        )
        for data in content["references"]
    ]


def show_proposed(article):
    """Put the article's pending change into ``article``, in memory only, so
    that the admin form and the preview show what is proposed, its body
    rendered with its references.

    Returns the PendingChange, or None (and leaves the article alone).
    """
    change = pending_change_of(article)
    if change is None:
        return None
    content = change.content
    for name, value in content["fields"].items():
        field = Article._meta.get_field(name)
        setattr(article, field.attname, typed(Article, name, value))
    # What the change names may have been deleted since: shown as unset.
    if article.author_id and not Author.objects.filter(pk=article.author_id).exists():
        article.author = None
    if article.featured_image_id:
        article.featured_image = (
            Image.objects.filter(pk=article.featured_image_id)
            .prefetch_related("renditions")
            .first()
        )
    cache = article.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, model in RELATED.items():
        cache[name] = loaded(
            model.objects.all(), model.objects.filter(pk__in=content[name])
        )
    cache["references"] = loaded(
        Reference.objects.all(), proposed_references(article, content)
    )
    article.store_body(article.references.all())
    return change


def pending_change_of(article):
    if article.pk is None:
        return None
    try:
        return article.pending_change
    except PendingChange.DoesNotExist:
        return None


def as_stored(content):
    """``content`` as the JSON field gives it back: dates as strings."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def hold(article, content, note, user):
    """Store ``content`` as the article's pending change, in review again,
    unless it is the change already waiting (not sent back), word for word."""
    existing = pending_change_of(article)
    if (
        existing is not None
        and existing.state != PendingChange.State.SENT_BACK
        and existing.content == as_stored(content)
        and existing.note == note
    ):
        return existing
    change, created = PendingChange.objects.update_or_create(
        article=article,
        defaults={
            "content": content,
            "note": note,
            "state": PendingChange.State.IN_REVIEW,
            "reviewer": None,
            "reviewed_on": None,
            "next_review_on": None,
            "review_comment": "",
            "review_recorded_by": None,
        },
        create_defaults={
            "content": content,
            "note": note,
            "created_by": user,
        },
    )
    article.pending_change = change
    return change


def gone(change):
    """Why the change cannot be published as it stands, because something it
    names was deleted or taken since it was made: a list, empty when it can."""
    content, article = change.content, change.article
    fields = content["fields"]
    problems = []
    for name, model in (("featured_image", Image), ("author", Author)):
        if fields.get(name) and not model.objects.filter(pk=fields[name]).exists():
            problems.append(
                f"The {Article._meta.get_field(name).verbose_name} this change "
                "chooses has been deleted since."
            )
    for name, model in RELATED.items():
        if model.objects.filter(pk__in=content[name]).count() < len(content[name]):
            problems.append(f"Some of the {name} this change chooses were deleted.")
    taken = Article.objects.exclude(pk=article.pk).filter(slug=fields["slug"])
    if taken.exists() or SlugRedirect.objects.exclude(article=article).filter(
        old_slug=fields["slug"]
    ):
        problems.append(
            f"The address “{fields['slug']}” this change gives the article is "
            "taken by another one now."
        )
    if problems:
        problems.append("Correct the change and save it: it then goes to review again.")
    return problems


def apply(change):
    """Write the pending change into its article: fields, topics, tags and
    references. The caller saves inside a revision and records the review,
    after checking gone()."""
    article = change.article
    content = change.content
    # Unpublishing applies a change however old: what it names that has gone
    # since is left out rather than refused.
    fields = dict(content["fields"])
    for name, model in (("featured_image", Image), ("author", Author)):
        if fields.get(name) and not model.objects.filter(pk=fields[name]).exists():
            fields[name] = None
    if Article.objects.exclude(pk=article.pk).filter(slug=fields["slug"]).exists():
        fields["slug"] = article.slug
    for name, value in fields.items():
        field = Article._meta.get_field(name)
        setattr(article, field.attname, typed(Article, name, value))
    article.save()
    for name, model in RELATED.items():
        getattr(article, name).set(model.objects.filter(pk__in=content[name]))
    kept = []
    for reference in proposed_references(article, content):
        if reference.pk and not article.references.filter(pk=reference.pk).exists():
            reference.pk = None  # Deleted meanwhile: add it again.
        reference.save()
        kept.append(reference.pk)
    article.references.exclude(pk__in=kept).delete()
    article.renumber_references()


def approved_review(change):
    """The review readers will see once the change is published (unsaved)."""
    if change.state != PendingChange.State.APPROVED:
        return None
    return MedicalReview(
        article=change.article,
        reviewer=change.reviewer,
        reviewed_on=change.reviewed_on,
        next_review_on=change.next_review_on,
        comment=change.review_comment,
        recorded_by=change.review_recorded_by,
    )
