"""The roles and the workflow in the article admin.

Each role's limits are enforced where the admin decides what a request may do
(querysets, permissions, read-only fields, the views that move articles), not
only by hiding buttons: a hand-made POST meets the same checks.
"""

import copy

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format

from articles import workflow
from articles.admin import review
from articles.models import Article, Reference, Status, Transition

# Publishing is the editors' decision: other roles see these fields read-only.
EDITOR_FIELDS = ("published_at", "expire_at", "is_medical")
# Where an article is in the workflow; restoring an old version keeps these.
WORKFLOW_FIELDS = ("status", "published_at", "expire_at")
RECOVERED = {"status": Status.DRAFT}
# Moves made with the change form's own button save the form first.
FORM_MOVES = ("submit", "publish")
# Moves made from the review page rather than a button of their own.
REVIEW_MOVES = ("approve",)


class WorkflowFormMixin:
    """Checks the move a change-form button asks for, and the publishing gate,
    as part of the form: refusals show next to the fields they are about."""

    workflow_user = None
    workflow_move = None

    def clean(self):
        cleaned_data = super().clean()
        if not self.workflow_move:
            return cleaned_data
        # The article as it would be saved; the instance itself is updated only
        # after clean().
        article = copy.copy(self.instance)
        for field in ("author", "is_medical", "published_at"):
            if field in cleaned_data:
                setattr(article, field, cleaned_data[field])
        for reason in workflow.refusals(
            article, self.workflow_move, self.workflow_user
        ):
            self.add_error(None, reason)
        if self.workflow_move == "publish":
            # References are the inline's to check, next to the inline.
            problems = workflow.publishing_problems(article, references_count=1)
            for field, reason in problems.items():
                self.add_error(field if field in self.fields else None, reason)
        return cleaned_data


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


def requested_move(request):
    return request.POST.get("_move") if request.method == "POST" else None


class WorkflowAdminMixin:
    """For ArticleAdmin: roles, workflow buttons and actions, the log, and the
    review views."""

    actions = ["submit_selected", "publish_selected", "unpublish_selected"]

    # Querysets and permissions by role.

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        user = request.user
        if workflow.is_editor(user):
            return articles
        visible = Q(created_by=user) | Q(author__user=user)
        if user.has_perm("articles.review_article"):
            visible |= Q(
                status__in=[Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED]
            )
        return articles.filter(visible)

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
        }
        return type(form.__name__, (WorkflowFormMixin, form), attrs)

    def get_formsets_with_inlines(self, request, obj=None):
        publishing = requested_move(request) == "publish"
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if publishing and inline.model is Reference:
                formset = type(formset.__name__, (ReferencesGateMixin, formset), {})
            yield formset, inline

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        # Restoring puts back an old version's text, never its place in the
        # workflow: that moves only through move(). A deleted article comes
        # back as a draft, to be published again through the gate.
        if (kept := getattr(request, "workflow_state", None)) is not None:
            for field, value in kept.items():
                setattr(obj, field, value)
        super().save_model(request, obj, form, change)
        if getattr(request, "workflow_state", None) is RECOVERED:
            Transition.objects.create(
                article=obj,
                user=request.user,
                from_status=Status.DRAFT,
                to_status=Status.DRAFT,
                comment="Restored after deletion, as a draft.",
            )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None:
            request.workflow_state = {f: getattr(article, f) for f in WORKFLOW_FIELDS}
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # Restoring a deleted article undoes a deletion: the editors' call.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        request.workflow_state = RECOVERED
        return super().recover_view(request, version_id, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        self.make_requested_move(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self.make_requested_move(request, obj)
        return super().response_change(request, obj)

    def make_requested_move(self, request, article):
        name = requested_move(request)
        if name in FORM_MOVES:
            # The form checked the move already; this only fails on a race.
            self.move_with_messages(request, article, name)

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
        context["workflow_buttons"] = buttons
        if change:
            # A panel, not an inline: a formset would make every save post
            # its management form for rows nobody may edit.
            context["workflow_log"] = Transition.objects.filter(
                article=article
            ).select_related("user")
        if change and review.may_review(request.user, article):
            context["review_url"] = reverse(
                "admin:articles_article_review", args=[article.pk]
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    @admin.display(description="Medical review")
    def review_summary(self, article):
        latest = workflow.latest_review(article) if article.pk else None
        if latest is None:
            return "Not yet reviewed."
        return f"{latest}; next review due {date_format(latest.next_review_on)}."

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

    def move_view(self, request, object_id, name):
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[article.pk])
            )
        if name in REVIEW_MOVES:
            raise PermissionDenied("Approval is recorded on the review page.")
        self.move_with_messages(request, article, name)
        return HttpResponseRedirect(self.after_move_url(request, article))

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
