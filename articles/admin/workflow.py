"""The workflow in the article admin: the buttons a change form offers, the
moves they make (with the messages people see), what a save records in the
workflow log, and restores.

The rules themselves are articles.workflow's; this module only turns
requests into calls to it. Each role's limits are enforced there and in
ArticleAdmin's querysets and permissions, not by hiding buttons: a hand-made
POST meets the same checks.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views import View
from reversion.models import Version

from articles import pending, workflow
from articles.admin.common import ArticleAdminViewMixin
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
    "publish_change": ("Publish the change", workflow.publish_change, "published"),
    "discard_change": ("Discard the change", workflow.discard_change, "discarded"),
}
# What an approval after a change to the text must see again.
REVIEWED_FIELDS = ("title", "summary", "body")


@dataclass
class Restoring:
    """A restore in progress, kept on the request from the restore view to
    the save hooks: the article as stored before the old version was put back
    (None when recovering a deleted one), and, for one held for review, the
    proposed content the form said."""

    stored: Article | None
    state: dict = field(default_factory=dict)
    live_slug: str | None = None
    version: Version | None = None
    content: dict | None = None
    note: str = ""

    @classmethod
    def of(cls, stored, version):
        return cls(
            stored=stored,
            state={name: getattr(stored, name) for name in WORKFLOW_FIELDS},
            live_slug=stored.live_slug_in_database(),
            version=version,
        )

    def comment(self):
        saved = timezone.localtime(self.version.revision.date_created)
        return f"Restored the version saved on {date_format(saved, 'DATETIME_FORMAT')}."


def restoring_of(request):
    return getattr(request, "restoring", None)


def requested_move(request):
    return request.POST.get("_move") if request.method == "POST" else None


def pk_or_none(value):
    """An id from a URL as an integer, or None when it is not one."""
    try:
        return int(str(value))
    except ValueError:
        return None


def move_url(article, name):
    return reverse("admin:articles_article_move", args=[article.pk, name])


def buttons(article, user, change, can_change, add):
    """The workflow buttons of a change form: label, move name, and the URL of
    a move that does not save the form first."""
    made = []
    for move in workflow.allowed_moves(article, user):
        if move.name in REVIEW_MOVES or (add and move.name not in FORM_MOVES):
            continue
        via_form = can_change and move.name in FORM_MOVES
        url = None if via_form else move_url(article, move.name)
        label = f"Save and {move.label.lower()}" if via_form else move.label
        made.append({"name": move.name, "label": label, "url": url})
    if change is not None and workflow.is_editor(user):
        names = ["discard_change"]
        if change.state == PendingChange.State.APPROVED:
            names.insert(0, "publish_change")
        made += [
            {"name": n, "label": CHANGE_MOVES[n][0], "url": move_url(article, n)}
            for n in names
        ]
    return made


def sent_back_line(article, change):
    """The latest send-back, for the top of the change page, while it stands."""
    sent_back = article.status == Status.DRAFT and not change
    change_sent_back = change is not None and change.state == "sent_back"
    if not (sent_back or change_sent_back):
        return None
    event = "send_back_change" if change_sent_back else "send_back"
    return (
        Transition.objects.filter(article=article, move=event)
        .select_related("user")
        .first()
    )


def move_with_messages(request, article, name):
    """Make a workflow move for the request's user; refusals become messages."""
    try:
        if name in CHANGE_MOVES:
            CHANGE_MOVES[name][1](article, request.user)
        else:
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
    if name in CHANGE_MOVES:
        messages.success(
            request, f"The change to “{article}” was {CHANGE_MOVES[name][2]}."
        )
    else:
        messages.success(
            request,
            f"“{article}” is now {article.get_status_display().lower()}"
            + (" (scheduled)." if article.is_scheduled() else "."),
        )
    return True


def move_selected(request, queryset, name):
    """A changelist action: all the selected articles move, or none does."""
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


def hold_from_form(request, form, formsets):
    """A held-back save: keep what the form proposes for review. A restore's
    proposal is kept on the request until its revert is rolled back."""
    note = (form.cleaned_data.get("change_note") or "").strip()
    content = form.proposed_content(formsets)
    restoring = restoring_of(request)
    if restoring is not None:
        restoring.content, restoring.note = content, note
        return
    existing = pending.pending_change_of(form.instance)
    workflow.hold_change(
        form.instance,
        content,
        note or (existing.note if existing else ""),
        request.user,
    )


def hold_restored(request):
    """After the revert of a held-back restore is rolled back: keep the old
    version as the change waiting for review."""
    restoring = restoring_of(request)
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
        "The older version is now a change waiting for medical review. Readers "
        "see the published version until it is approved and published.",
    )


def record_save(request, form, formsets, change):
    """The workflow's record of a save that went through: restores are
    logged, and an approved medical article whose text changed (or was
    restored) goes back to review, as its approval was for other words."""
    article = form.instance
    restoring = restoring_of(request)
    if restoring is not None and restoring.stored is None:
        return  # A recovered article; logged by the recover view.
    text_changed = (
        restoring is not None
        or bool(set(REVIEWED_FIELDS) & set(form.changed_data))
        or any(f.has_changed() for f in formsets if f.model is Reference)
    )
    if restoring is not None:
        workflow.log(article, request.user, "restore", restoring.comment())
    if change and "is_medical" in form.changed_data:
        workflow.log(
            article,
            request.user,
            "medical_on" if article.is_medical else "medical_off",
            "" if article.is_medical else "Reviews before this no longer count.",
        )
    approved = article.status == Status.APPROVED
    if change and text_changed and article.is_medical and approved:
        back_to_review(request, article)


def back_to_review(request, article):
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
        "The text changed after the medical review approved it, so the article "
        "is back in review.",
    )


class MoveView(ArticleAdminViewMixin, View):
    """A workflow button that does not save the form: POST only."""

    def post(self, request, object_id, name):
        article = self.get_article()
        if name in REVIEW_MOVES:
            raise PermissionDenied("Approval is recorded on the review page.")
        move_with_messages(request, article, name)
        return HttpResponseRedirect(self.model_admin.after_move_url(request, article))

    def get(self, request, object_id, name):
        article = self.get_article()
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )
