"""Revisions in the article admin: history, compare, restore, deleted articles,
and what each save records (who saved, substantive updates).

ArticleAdmin takes RevisionAdminMixin before reversion's VersionAdmin, which
wraps every admin save in a revision and provides the restore (revert) and
recover views.
"""

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from reversion import add_to_revision, is_active
from reversion.models import Version

from articles import pending
from articles.diff import diff_snapshots
from articles.models import Article, ChangeNote, Reference, Tag, Topic

# Bookkeeping that changes on every save: not worth showing as a difference.
UNCOMPARED = {
    "id",
    "uuid",
    "body",
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
    """A stored article version as plain data for articles.diff."""
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
    """Plain data for articles.diff from an article's field values and its
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


class RevisionAdminMixin:
    object_history_template = "admin/articles/article/history.html"
    change_list_template = "admin/articles/article/change_list.html"
    recover_list_template = "admin/articles/article/deleted_list.html"
    history_latest_first = True

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        this_save = [
            "is_substantive_change",
            "change_note",
            "opened_at",
            "opened_version",
        ]
        return [*fieldsets, ("This save", {"fields": this_save})]

    def get_readonly_fields(self, request, obj=None):
        # "Updated" moves only with a note for readers (is_substantive_change),
        # so the date and the "What changed" list always agree.
        return [*super().get_readonly_fields(request, obj), "updated_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # get_form() builds a new class on every call: safe to set on it.
        # A restore (WorkflowAdminMixin) replaces the newest version on purpose.
        form.checks_for_conflicts = getattr(request, "restoring", None) is None
        return form

    def save_model(self, request, obj, form, change):
        # modified_by, which a refused save names, is stamped by
        # WorkflowAdminMixin.save_model.
        is_substantive = form.cleaned_data.get("is_substantive_change")
        if is_substantive:
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        if is_substantive:
            ChangeNote.objects.create(
                article=obj,
                changed_at=obj.updated_at,
                note=form.cleaned_data["change_note"].strip(),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Reversion records each object when it is saved, but references are
        # renumbered with bulk_update(), which sends no signal: record the
        # article and its references again, as they finally are.
        if is_active():
            add_to_revision(form.instance)
            for reference in form.instance.references.all():
                add_to_revision(reference)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        versions = []
        if article is not None:
            versions = list(
                Version.objects.get_for_object(article)
                .select_related("revision__user")
                .order_by("-pk")
            )
        # Each version beside the one before it (versions are newest first).
        rows = [
            {"version": version, "previous": older}
            for version, older in zip(versions, [*versions[1:], None], strict=False)
        ]
        context = {"rows": rows} | (extra_context or {})
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        if request.GET.get("to") == "pending":
            return self.compare_pending_view(request, article)
        versions = Version.objects.get_for_object(article).select_related(
            "revision__user"
        )
        try:
            chosen = [versions.get(pk=int(request.GET[key])) for key in ("from", "to")]
        except (KeyError, ValueError, Version.DoesNotExist):
            return HttpResponseBadRequest("Choose two versions of this article.")
        # Always older to newer, whichever order the two were picked in.
        old, new = sorted(chosen, key=lambda version: version.pk)
        changes = diff_snapshots(snapshot(old), snapshot(new))
        return self.render_compare(request, article, changes, old=old, new=new)

    def compare_pending_view(self, request, article):
        """The published article against the change waiting for review."""
        live = Article.objects.get(pk=article.pk)
        change = pending.pending_change_of(live)
        if change is None:
            raise Http404("This article has no change waiting.")
        changes = diff_snapshots(live_snapshot(live), pending_snapshot(live, change))
        return self.render_compare(request, live, changes, pending_change=change)

    def render_compare(self, request, article, changes, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Changes to “{article}”",
            "changes": changes,
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def recoverlist_view(self, request, extra_context=None):
        deleted = list(
            Version.objects.get_deleted(self.model)
            .select_related("revision__user")
            .order_by("-revision__date_created")
        )
        deletions = {}
        for entry in (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id__in=[version.object_id for version in deleted],
                action_flag=DELETION,
            )
            .select_related("user")
            .order_by("action_time")
        ):
            deletions[entry.object_id] = entry
        rows = [
            {"version": version, "deletion": deletions.get(version.object_id)}
            for version in deleted
        ]
        context = {"title": "Deleted articles", "rows": rows} | (extra_context or {})
        return super().recoverlist_view(request, context)
