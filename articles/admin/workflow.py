"""The roles and the workflow in the article admin.

Each role's limits are enforced where the admin decides what a request may do
(querysets, permissions, read-only fields, the views that move articles), not
only by hiding buttons: a hand-made POST meets the same checks. Permission
checks read the article as stored now, before a restore puts an old version
back and before a pending change is shown in its place.
"""

import copy
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.models import Version

from articles import pending, workflow
from articles.admin import review
from articles.models import Article, PendingChange, Reference, Status, Transition

# Publishing is the editors' decision: other roles see these fields read-only.
EDITOR_FIELDS = ("published_at", "expire_at", "is_medical")
# Where an article is in the workflow, and what readers were told about it:
# restoring an old version keeps these as they are now.
WORKFLOW_FIELDS = ("status", "published_at", "expire_at", "is_medical", "updated_at")
# Moves made with the change form's own button save the form first.
FORM_MOVES = ("submit", "publish")
# Moves made from the review page rather than a button of their own.
REVIEW_MOVES = ("approve",)
# Moves of a pending change, made with a button of their own (editors).
CHANGE_MOVES = {
    "publish_change": ("Publish the change", workflow.publish_change),
    "discard_change": ("Discard the change", workflow.discard_change),
}
# What an approval after a change to the text must see again.
REVIEWED_FIELDS = ("title", "summary", "body")


@dataclass
class Restoring:
    """A restore in progress: the article as stored before the old version
    was put back, and, for one held for review, the proposed content."""

    stored: Article | None
    state: dict = field(default_factory=dict)
    live_slug: str | None = None
    version: Version | None = None
    content: dict | None = None
    note: str = ""


class WorkflowFormMixin:
    """Checks the move a change-form button asks for, the publishing gate and
    whether the save must wait for review, as part of the form: refusals show
    next to the fields they are about."""

    workflow_user = None
    workflow_move = None
    workflow_comment = ""
    is_restore = False
    # Set by clean(): the save changes the medical content of a published
    # article, so it is kept for review instead (articles.pending).
    held_back = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        byline = self.fields.get("author")
        if byline is not None and not workflow.is_editor(self.workflow_user):
            # An author's byline is their own: only editors choose another
            # (one an editor chose stays on offer).
            byline.queryset = byline.queryset.filter(
                Q(user=self.workflow_user) | Q(pk=self.instance.author_id)
            )

    def clean(self):
        cleaned_data = super().clean()
        try:
            workflow.clean_comment(self.workflow_comment)
        except ValidationError as error:
            self.add_error(None, error)
        stored = self.instance
        self.held_back = workflow.must_hold(
            stored,
            bool(cleaned_data.get("is_substantive_change")),
            is_restore=self.is_restore,
        )
        if self.held_back:
            self.clean_held_back(cleaned_data)
        elif stored.pk and stored.status == Status.PUBLISHED:
            self.clean_medical_switch(cleaned_data)
        if not self.workflow_move:
            return cleaned_data
        # The article as it would be saved; the instance itself is updated only
        # after clean().
        article = copy.copy(stored)
        for name in ("author", "is_medical", "published_at"):
            if name in cleaned_data:
                setattr(article, name, cleaned_data[name])
        for reason in workflow.refusals(
            article, self.workflow_move, self.workflow_user
        ):
            self.add_error(None, reason)
        if self.workflow_move == "publish":
            # References are the inline's to check, next to the inline.
            problems = workflow.publishing_problems(article, references_count=1)
            for name, reason in problems.items():
                self.add_error(name if name in self.fields else None, reason)
        return cleaned_data

    def clean_held_back(self, cleaned_data):
        if self.workflow_move:
            self.add_error(
                None,
                "This save changes a published medical article, so it waits for "
                "review: save it first, without a workflow button.",
            )
        if cleaned_data.get("is_medical") is False:
            self.add_error(
                "is_medical",
                "A medical change is waiting for review: publish or discard it "
                "before making the article non-medical.",
            )
        change = pending.pending_change_of(self.instance)
        note = (cleaned_data.get("change_note") or "").strip()
        if (
            not note
            and not (change and change.note)
            and self.instance.is_published()
            and "change_note" in self.fields
            and not self.has_error("change_note")
        ):
            self.add_error(
                "change_note",
                "Write one line for readers about what changed: it appears with "
                "the “Updated” date once the change is reviewed and published.",
            )

    def clean_medical_switch(self, cleaned_data):
        """A live article made medical must meet the publishing gate at once."""
        if self.instance.is_medical or not cleaned_data.get("is_medical"):
            return
        article = copy.copy(self.instance)
        article.is_medical = True
        for name, reason in workflow.publishing_problems(article).items():
            if name == "is_medical":
                reason = (
                    "A live article becomes medical only once a medical reviewer "
                    "has reviewed it: record a medical review first."
                )
            self.add_error("is_medical", reason)


class ReferencesGateMixin:
    """The publishing gate's reference rule, shown above the references."""

    def clean(self):
        super().clean()
        kept = sum(
            1
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data["DELETE"]
        )
        problems = workflow.publishing_problems(self.instance, references_count=kept)
        if reason := problems.get("references"):
            raise ValidationError(reason)


class ProposedReferencesMixin:
    """An unbound references formset shows a pending change's references:
    the ones it keeps (as it would change them) as the usual rows, the ones it
    adds as new rows. A bound one is the usual formset: the browser posts the
    ids of references that exist."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is None:
            return
        references = self.instance.references.all()
        if not references._prefetch_done:  # No pending change on show.
            return
        self._queryset = [r for r in references if r.pk]
        self.initial_extra = [
            pending.reference_values(r) for r in references if r.pk is None
        ]
        self.extra = len(self.initial_extra)


def requested_move(request):
    return request.POST.get("_move") if request.method == "POST" else None


def proposed_content(form, formsets):
    """What a held-back save proposes: the form's article, topics and tags, and
    the references as the formset would leave them."""
    article = form.instance
    data = form.cleaned_data
    topics = data["topics"] if "topics" in data else article.topics.all()
    tags = data["tags"] if "tags" in data else article.tags.all()
    references = list(article.references.all())
    for formset in formsets:
        if formset.model is Reference:
            references = [
                form.instance
                for form in formset.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and (form.instance.pk or form.has_changed())
            ]
    return pending.content_of(article, topics, tags, references)


class _RestoreForReview(Exception):
    def __init__(self, response):
        self.response = response


class WorkflowAdminMixin:
    """For ArticleAdmin: roles, workflow buttons and actions, the log, changes
    held for review, and the review views."""

    actions = ["submit_selected", "publish_selected", "unpublish_selected"]

    # Querysets and permissions by role.

    def get_queryset(self, request):
        articles = super().get_queryset(request).visible_to(request.user)
        latest_move = Transition.objects.filter(article=OuterRef("pk")).order_by(
            "-at", "-pk"
        )
        return articles.annotate(
            last_move=Subquery(latest_move.values("move")[:1]),
            change_state=Subquery(
                PendingChange.objects.filter(article=OuterRef("pk")).values("state")
            ),
        )

    def get_object(self, request, object_id, from_field=None):
        """The article as editors work on it: with a restore's kept workflow
        state, or with its pending change in place of the published text."""
        article = super().get_object(request, object_id, from_field)
        if article is None:
            return None
        restoring = getattr(request, "restoring", None)
        if restoring is not None:
            for name, value in restoring.state.items():
                setattr(article, name, value)
        else:
            pending.show_proposed(article)
        return article

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The admin's own message ("… doesn't exist. Perhaps it was deleted?")
        # misleads an author who opened a colleague's article.
        if Article.objects.filter(pk=pk_or_none(object_id)).exists():
            messages.warning(request, "You can’t open this article.")
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or workflow.is_editor(request.user):
            return True
        return obj.status == Status.DRAFT and workflow.owns(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and super().has_delete_permission(
            request, obj
        )

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = [
            *super().get_readonly_fields(request, obj),
            "status",
            "review_summary",
        ]
        if not workflow.is_editor(request.user):
            fields += EDITOR_FIELDS
        return fields

    # The change form: its buttons, and the moves they ask for.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {
            "workflow_user": request.user,
            "workflow_move": requested_move(request),
            "workflow_comment": request.POST.get("workflow_comment", ""),
            "is_restore": getattr(request, "restoring", None) is not None,
        }
        return type(form.__name__, (WorkflowFormMixin, form), attrs)

    def get_formsets_with_inlines(self, request, obj=None):
        publishing = requested_move(request) == "publish"
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if inline.model is Reference:
                mixins = (ProposedReferencesMixin,)
                if publishing:
                    mixins += (ReferencesGateMixin,)
                formset = type(formset.__name__, (*mixins, formset), {})
            yield formset, inline

    def save_model(self, request, obj, form, change):
        if form.held_back:
            # The published row keeps its text: only the editor's publishing
            # times reach it now (save_related keeps the rest for review).
            if workflow.is_editor(request.user):
                Article.objects.filter(pk=obj.pk).update(
                    published_at=obj.published_at, expire_at=obj.expire_at
                )
            return
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        restoring = getattr(request, "restoring", None)
        if restoring is not None:
            # Restoring puts back an old version's text, never its place in
            # the workflow: that moves only through workflow.move().
            for name, value in restoring.state.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
        if restoring is not None:
            obj.redirect_from(restoring.live_slug)

    def save_related(self, request, form, formsets, change):
        if not form.held_back:
            super().save_related(request, form, formsets, change)
            self.after_save(request, form, formsets, change)
            return
        note = (form.cleaned_data.get("change_note") or "").strip()
        content = proposed_content(form, formsets)
        restoring = getattr(request, "restoring", None)
        if restoring is not None:
            # Written once the restore itself is rolled back: see revision_view.
            restoring.content, restoring.note = content, note
            return
        existing = pending.pending_change_of(form.instance)
        workflow.hold_change(
            form.instance,
            content,
            note or (existing.note if existing else ""),
            request.user,
        )

    def after_save(self, request, form, formsets, change):
        """The workflow's record of a save that went through: restores are
        logged, and an approved medical article whose text changed (or was
        restored) goes back to review, as its approval was for other words."""
        article = form.instance
        restoring = getattr(request, "restoring", None)
        if restoring is not None and restoring.stored is None:
            return  # A recovered article; logged by recover_view.
        text_changed = restoring is not None or set(REVIEWED_FIELDS) & set(
            form.changed_data
        )
        text_changed = text_changed or any(
            formset.has_changed() for formset in formsets if formset.model is Reference
        )
        if restoring is not None:
            workflow.log(article, request.user, "restore", restore_comment(restoring))
        if (
            change
            and text_changed
            and article.is_medical
            and article.status == Status.APPROVED
        ):
            article.status = Status.IN_REVIEW
            article.save(update_fields=["status", "modified_at"])
            workflow.log(
                article,
                request.user,
                "changed_after_approval",
                "The text changed after it was approved, so it is back in review.",
                from_status=Status.APPROVED,
            )
            messages.warning(
                request,
                "The text changed after the medical review approved it, so the "
                "article is back in review.",
            )

    def construct_change_message(self, request, form, formsets, add=False):
        if form.held_back:  # Nothing was saved: the formsets have no record.
            return "Held a change to the medical content for review."
        return super().construct_change_message(request, form, formsets, add)

    # Restores and recoveries.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        stored = self.get_object(request, unquote(object_id))
        if stored is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        # Checked on the article as stored now: reversion puts the old version
        # back, draft status and all, before the admin checks anything.
        if not self.has_change_permission(request, stored):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(stored), pk=pk_or_none(version_id)
        )
        stored = Article.objects.get(pk=stored.pk)
        request.restoring = Restoring(
            stored=stored,
            state={name: getattr(stored, name) for name in WORKFLOW_FIELDS},
            live_slug=stored.live_slug_in_database(),
            version=version,
        )
        if not workflow.must_hold(stored, False, is_restore=True):
            return super().revision_view(request, object_id, version_id, extra_context)
        return self.restore_for_review(request, object_id, version_id, extra_context)

    def restore_for_review(self, request, object_id, version_id, extra_context):
        """Restore a published medical article's old version as a change that
        waits for review: the revert itself is rolled back once the form has
        said what the change is."""
        try:
            with transaction.atomic():
                response = super().revision_view(
                    request, object_id, version_id, extra_context
                )
                if request.method == "POST" and response.status_code == 302:
                    raise _RestoreForReview(response)
        except _RestoreForReview as done:
            restoring = request.restoring
            if restoring.content is None:  # Refused by reversion itself.
                return done.response
            existing = pending.pending_change_of(restoring.stored)
            workflow.hold_change(
                restoring.stored,
                restoring.content,
                restoring.note or (existing.note if existing else ""),
                request.user,
                event="restore",
            )
            # The admin's own success message would say it was changed.
            list(messages.get_messages(request))
            messages.success(
                request,
                "The older version is now a change waiting for medical review. "
                "Readers see the published version until it is approved and "
                "published.",
            )
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[restoring.stored.pk])
            )
        return response

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # Restoring a deleted article undoes a deletion: the editors' call.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(Article), pk=pk_or_none(version_id)
        )
        request.restoring = Restoring(stored=None, state={"status": Status.DRAFT})
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            article = Article.objects.filter(pk=version.object_id).first()
            if article is not None:
                workflow.log(
                    article,
                    request.user,
                    "recover",
                    "Restored after deletion, as a draft.",
                    from_status=Status.DRAFT,
                )
        return response

    # After a save: stay on the article's page for workflow moves.

    def response_add(self, request, obj, post_url_continue=None):
        # The admin's own response says the article was added; after a move,
        # though, the page to go on from is the article's own.
        response = super().response_add(request, obj, post_url_continue)
        if self.make_requested_move(request, obj):
            return self.stay_on_article(request, obj)
        return response

    def response_change(self, request, obj):
        if obj.status == Status.PUBLISHED and pending.pending_change_of(obj):
            # Every save of an article with a change waiting is held back.
            messages.success(
                request,
                "Your change is waiting for medical review. Readers see the "
                "published version until a reviewer approves the change and an "
                "editor publishes it.",
            )
            return self.stay_on_article(request, obj)
        response = super().response_change(request, obj)
        if self.make_requested_move(request, obj):
            return self.stay_on_article(request, obj)
        return response

    def stay_on_article(self, request, article):
        return HttpResponseRedirect(self.after_move_url(request, article))

    def make_requested_move(self, request, article):
        name = requested_move(request)
        if name not in FORM_MOVES:
            return False
        # The form checked the move already; this only fails on a race.
        self.move_with_messages(request, article, name)
        return True

    def move_with_messages(self, request, article, name):
        try:
            workflow.move(
                article,
                name,
                request.user,
                comment=request.POST.get("workflow_comment", ""),
            )
        except ValidationError as refusal:
            for reason in refusal.messages:
                messages.error(request, reason)
            return False
        messages.success(
            request,
            f"“{article}” is now {article.get_status_display().lower()}"
            + (" (scheduled)." if article.is_scheduled() else "."),
        )
        return True

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        article = context.get("original") or Article(status=Status.DRAFT)
        can_change = (
            self.has_change_permission(request, context.get("original"))
            if change
            else self.has_add_permission(request)
        )
        buttons = []
        for move in workflow.allowed_moves(article, request.user):
            if move.name in REVIEW_MOVES or (add and move.name not in FORM_MOVES):
                continue
            via_form = can_change and move.name in FORM_MOVES
            url = None if via_form else self.move_url(article, move.name)
            label = f"Save and {move.label.lower()}" if via_form else move.label
            buttons.append({"name": move.name, "label": label, "url": url})
        change_state = pending.pending_change_of(article) if change else None
        if change_state is not None:
            buttons += self.change_buttons(request, article, change_state)
        context["workflow_buttons"] = buttons
        context["pending_change"] = change_state
        if change:
            # A panel, not an inline: a formset would make every save post
            # its management form for rows nobody may edit.
            context["workflow_log"] = Transition.objects.filter(
                article=article
            ).select_related("user")
            context["sent_back"] = sent_back_line(article, change_state)
            if change_state is not None:
                context["compare_pending_url"] = (
                    reverse("admin:articles_article_compare", args=[article.pk])
                    + "?to=pending"
                )
        if (
            change
            and workflow.may_review(request.user, article)
            and review.decisions_for(request.user, article, change_state)
        ):
            context["review_url"] = reverse(
                "admin:articles_article_review", args=[article.pk]
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    def change_buttons(self, request, article, change):
        if not workflow.is_editor(request.user):
            return []
        names = ["discard_change"]
        if change.state == PendingChange.State.APPROVED:
            names.insert(0, "publish_change")
        return [
            {
                "name": name,
                "label": CHANGE_MOVES[name][0],
                "url": self.move_url(article, name),
            }
            for name in names
        ]

    @admin.display(description="Medical review")
    def review_summary(self, article):
        latest = article.latest_review if article.pk else None
        if latest is None:
            return "Not yet reviewed."
        return f"{latest}; next review due {date_format(latest.next_review_on)}."

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        """The status, and what the list would otherwise hide: an article sent
        back to its author, a change to a live one waiting."""
        label = article.get_status_display()
        if article.status == Status.DRAFT and article.last_move == "send_back":
            label = "Sent back"
        if article.change_state:
            state = PendingChange.State(article.change_state).label.lower()
            return format_html("{}<br><small>Change {}</small>", label, state)
        return label

    # The views that move articles without saving the form.

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "review-due/",
                wrap(review.ReviewDueView.as_view(model_admin=self)),
                name="articles_article_review_due",
            ),
            path(
                "<path:object_id>/move/<str:name>/",
                wrap(self.move_view),
                name="articles_article_move",
            ),
            path(
                "<path:object_id>/review/",
                wrap(review.ReviewView.as_view(model_admin=self)),
                name="articles_article_review",
            ),
            *super().get_urls(),
        ]

    def move_url(self, article, name):
        return reverse("admin:articles_article_move", args=[article.pk, name])

    def after_move_url(self, request, article):
        """The article's page, or the list once the move put it out of sight
        (a reviewer sending an article back to its author)."""
        if self.get_queryset(request).filter(pk=article.pk).exists():
            return reverse("admin:articles_article_change", args=[article.pk])
        return reverse("admin:articles_article_changelist")

    def stored_article(self, request, object_id):
        """The article as stored, through the role-filtered queryset; 404 when
        the id is not one or the user may not see it."""
        article = (
            self.get_queryset(request).filter(pk=pk_or_none(object_id)).first()
            if pk_or_none(object_id)
            else None
        )
        if article is None:
            raise Http404("No such article.")
        return article

    def move_view(self, request, object_id, name):
        article = self.stored_article(request, unquote(object_id))
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[article.pk])
            )
        if name in REVIEW_MOVES:
            raise PermissionDenied("Approval is recorded on the review page.")
        if name in CHANGE_MOVES:
            self.change_move_with_messages(request, article, name)
        else:
            self.move_with_messages(request, article, name)
        return HttpResponseRedirect(self.after_move_url(request, article))

    def change_move_with_messages(self, request, article, name):
        label, make = CHANGE_MOVES[name]
        try:
            make(article, request.user)
        except ValidationError as refusal:
            for reason in refusal.messages:
                messages.error(request, reason)
            return
        done = "published" if name == "publish_change" else "discarded"
        messages.success(request, f"The change to “{article}” was {done}.")

    # Changelist actions: all the selected articles move, or none does.

    def move_selected(self, request, queryset, name):
        articles = list(queryset)
        refused = []
        for article in articles:
            reasons = workflow.refusals(article, name, request.user)
            if name == "publish" and not reasons:
                reasons = list(workflow.publishing_problems(article).values())
            refused += [f"“{article}”: {reason}" for reason in reasons]
        if refused:
            for reason in refused:
                messages.error(request, reason)
            messages.error(request, "No article was moved.")
            return
        with transaction.atomic():
            for article in articles:
                workflow.move(article, name, request.user)
        label = workflow.MOVES[name].label.lower()
        messages.success(request, f"{len(articles)} article(s): {label} done.")

    @admin.action(
        description="Submit selected articles for review", permissions=["submit"]
    )
    def submit_selected(self, request, queryset):
        self.move_selected(request, queryset, "submit")

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.move_selected(request, queryset, "publish")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.move_selected(request, queryset, "unpublish")


def pk_or_none(value):
    """An id from a URL as an integer, or None when it is not one."""
    try:
        return int(str(value))
    except ValueError:
        return None


def restore_comment(restoring):
    saved = timezone.localtime(restoring.version.revision.date_created)
    return f"Restored the version saved on {date_format(saved, 'DATETIME_FORMAT')}."


def sent_back_line(article, change):
    """The latest send-back, for the top of the change page, while it stands."""
    sent_back = article.status == Status.DRAFT and not change
    change_sent_back = change is not None and change.state == "sent_back"
    if not (sent_back or change_sent_back):
        return None
    event = "send_back_change" if change_sent_back else "send_back"
    line = (
        Transition.objects.filter(article=article, move=event)
        .select_related("user")
        .first()
    )
    if line is None:
        return None
    return line
