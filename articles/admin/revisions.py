"""Revisions in the article admin, as plain functions and one view: what a
saved version (or a pending change) holds, in the shape articles.admin.diff
compares; the history's rows; deleted articles; the compare page.

ArticleAdmin (reversion's VersionAdmin) keeps a revision of every admin save
and provides the restore and recover views; these are what it shows.
"""

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.views.generic import TemplateView
from reversion.models import Version

from articles import body as article_body
from articles import pending
from articles.admin.common import ArticleAdminViewMixin
from articles.admin.diff import diff_snapshots
from articles.models import Article, Reference, Tag, Topic

# Bookkeeping that changes on every save: not worth showing as a difference.
UNCOMPARED = {
    "id",
    "uuid",
    "body",
    # Rendered from the body and references, which are compared themselves.
    *article_body.STORED_FIELDS,
    "created_at",
    "modified_at",
    "created_by",
    "modified_by",
}
UNCOMPARED_REFERENCE = {"id", "article"}


def display(field, value, related_names):
    """A stored value as editors read it in the form."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return date_format(value)
    if field.is_relation:
        return related_names.get((field.related_model, value), f"deleted (#{value})")
    return str(value)


def names(model, pks):
    """Names of the given objects, deleted ones too, so that no pk goes unseen."""
    found = dict(
        model._base_manager.filter(pk__in=pks).values_list("pk", "name").order_by()
    )
    return sorted(found.get(pk, f"deleted (#{pk})") for pk in pks)


def related_names(model, data):
    """str() of every object the version's foreign keys point at."""
    result = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and data.get(field.attname) is not None:
            related = field.related_model._base_manager.filter(
                pk=data[field.attname]
            ).first()
            if related is not None:
                result[(field.related_model, related.pk)] = str(related)
    return result


def snapshot(version):
    """A stored article version as plain data for articles.admin.diff."""
    reference_type = ContentType.objects.get_for_model(Reference)
    references = [
        (reference.object_id, reference.field_dict)
        for reference in version.revision.version_set.filter(
            content_type=reference_type
        )
    ]
    return snapshot_of(version.field_dict, references)


def row_of(article):
    """The article as stored, in the shape of a version's field_dict."""
    data = {
        field.attname: field.value_from_object(article)
        for field in Article._meta.concrete_fields
    }
    data["topics"] = list(article.topics.values_list("pk", flat=True))
    data["tags"] = list(article.tags.values_list("pk", flat=True))
    return data


def live_snapshot(article):
    references = [
        (str(reference.pk), row_of_reference(reference))
        for reference in Reference.objects.filter(article=article)
    ]
    return snapshot_of(row_of(article), references)


def pending_snapshot(article, change):
    """The article as its pending change would leave it."""
    data = row_of(article)
    for name, value in change.content["fields"].items():
        data[Article._meta.get_field(name).attname] = pending.typed(
            Article, name, value
        )
    data["topics"], data["tags"] = change.content["topics"], change.content["tags"]
    references = [
        (str(reference.pk or f"new-{number}"), row_of_reference(reference))
        for number, reference in enumerate(
            pending.proposed_references(article, change.content)
        )
    ]
    return snapshot_of(data, references)


def row_of_reference(reference):
    return {
        field.attname: field.value_from_object(reference)
        for field in Reference._meta.concrete_fields
    }


def snapshot_of(data, reference_rows):
    """Plain data for articles.admin.diff from an article's field values and its
    references' (id, field values) pairs."""
    known = related_names(Article, data)
    text, values = {}, {}
    for field in Article._meta.concrete_fields:
        if field.name in UNCOMPARED or field.attname not in data:
            continue
        value = display(field, data[field.attname], known)
        label = capfirst(field.verbose_name)
        is_text = isinstance(field, models.CharField | models.TextField)
        (text if is_text and not field.choices else values)[label] = value
    references = {}
    for object_id, row in reference_rows:
        fields = {
            capfirst(field.verbose_name): display(field, row.get(field.attname), {})
            for field in Reference._meta.concrete_fields
            if field.name not in UNCOMPARED_REFERENCE
        }
        position = row.get("position") or 0
        order = int(object_id) if str(object_id).isdigit() else 10**9
        references[object_id] = {
            "title": fields["Title"],
            "fields": fields,
            "position": (position, order),
        }
    return {
        "text": text,
        "values": values,
        "body": data.get("body", ""),
        "topics": names(Topic, data.get("topics", [])),
        "tags": names(Tag, data.get("tags", [])),
        "references": dict(
            sorted(references.items(), key=lambda item: item[1]["position"])
        ),
    }


def deleted_since(version):
    """What a stored article version links to that has been deleted since,
    in words ("a topic and the featured image"), or ""."""
    data = version.field_dict
    gone = []
    for name, model in (("topics", Topic), ("tags", Tag)):
        ids = set(data.get(name) or ())
        if ids and model.objects.filter(pk__in=ids).count() < len(ids):
            gone.append(f"a {model._meta.verbose_name}")
    for name in ("featured_image", "author"):
        field = Article._meta.get_field(name)
        value = data.get(field.attname)
        if value and not field.related_model._base_manager.filter(pk=value).exists():
            gone.append(f"the {field.verbose_name}")
    return " and ".join(gone)


def history_rows(article):
    """Each saved version of ``article``, newest first, beside the one before."""
    versions = list(
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-pk")
    )
    return [
        {"version": version, "previous": older}
        for version, older in zip(versions, [*versions[1:], None], strict=False)
    ]


def deleted_rows(model):
    """Deleted articles, newest first, each with who deleted it and when."""
    deleted = list(
        Version.objects.get_deleted(model)
        .select_related("revision__user")
        .order_by("-revision__date_created")
    )
    deletions = {
        entry.object_id: entry
        for entry in LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[version.object_id for version in deleted],
            action_flag=DELETION,
        )
        .select_related("user")
        .order_by("action_time")
    }
    return [
        {"version": version, "deletion": deletions.get(version.object_id)}
        for version in deleted
    ]


class CompareView(ArticleAdminViewMixin, TemplateView):
    """Two saved versions side by side (?from=&to=), or the published article
    against the change waiting for review (?to=pending)."""

    template_name = "admin/articles/article/compare.html"

    def get(self, request, *args, **kwargs):
        self.article = self.get_article()
        if request.GET.get("to") == "pending":
            change = pending.pending_change_of(self.article)
            if change is None:
                raise Http404("This article has no change waiting.")
            changes = diff_snapshots(
                live_snapshot(self.article), pending_snapshot(self.article, change)
            )
            return self.render_to_response(
                self.get_context_data(changes=changes, pending_change=change)
            )
        versions = Version.objects.get_for_object(self.article).select_related(
            "revision__user"
        )
        try:
            chosen = [versions.get(pk=int(request.GET[key])) for key in ("from", "to")]
        except (KeyError, ValueError, Version.DoesNotExist):
            return HttpResponseBadRequest("Choose two versions of this article.")
        # Always older to newer, whichever order the two were picked in.
        old, new = sorted(chosen, key=lambda version: version.pk)
        changes = diff_snapshots(snapshot(old), snapshot(new))
        return self.render_to_response(
            self.get_context_data(changes=changes, old=old, new=new)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            original=self.article, title=f"Changes to “{self.article}”", **kwargs
        )
