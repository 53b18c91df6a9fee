"""Medical review in the admin: recording a review, and the "Review due" list.

One page reviews whatever waits: an article in review (approve or send back),
a change to a live article (the same, for the change), or a live article due
for its next check (record a re-review).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from articles import pending, workflow
from articles.admin.common import ArticleAdminViewMixin
from articles.admin.dates import DateWidget
from articles.models import Author, PendingChange, Status
from articles.models.editorial import default_next_review_on

DATE_INPUT = DateWidget()

DECISIONS = {
    "approve": "Approve",
    "approve_and_publish": "Approve and publish",
    "send_back": "Send back",
    "record": "Record review",
}


def text_stamp(article, change):
    """When the text under review last changed: a review is of the text the
    reviewer read, so a save meanwhile makes them read it again."""
    moment = change.modified_at if change is not None else article.modified_at
    return moment.isoformat()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISIONS.items(), widget=forms.HiddenInput)
    text_read = forms.CharField(widget=forms.HiddenInput, required=False)
    reviewer = forms.ModelChoiceField(
        Author.objects.reviewers(),
        required=False,
        help_text="The medical reviewer who checked the article. Empty: you.",
    )
    reviewed_on = forms.DateField(initial=timezone.localdate, widget=DATE_INPUT)
    next_review_on = forms.DateField(
        initial=default_next_review_on,
        widget=DATE_INPUT,
        help_text="When the article must be checked again.",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when you send the article back: say what must change.",
    )

    def __init__(self, *args, user, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d, DECISIONS[d]) for d in decisions]
        # Reviewers sign their own reviews; editors record them for a clinician.
        if not workflow.is_editor(user):
            del self.fields["reviewer"]


def decisions_for(user, article, change):
    """The buttons the review page offers ``user`` on ``article`` now."""
    editor_reviewer = workflow.is_editor(user) and user.has_perm(
        "articles.review_article"
    )
    if change is not None and change.state == PendingChange.State.IN_REVIEW:
        waiting = True
    elif article.status == Status.IN_REVIEW:
        waiting = change is None
    else:
        waiting = False
    if waiting:
        if not user.has_perm("articles.review_article"):
            return []
        approve = ["approve", "approve_and_publish"] if editor_reviewer else ["approve"]
        return [*approve, "send_back"]
    if article.status == Status.PUBLISHED:
        return ["record"]
    return []


class ReviewView(ArticleAdminViewMixin, FormView):
    form_class = ReviewForm
    template_name = "admin/articles/article/review.html"

    def dispatch(self, request, *args, **kwargs):
        self.article = self.get_article()
        self.change = pending.pending_change_of(self.article)
        self.decisions = decisions_for(request.user, self.article, self.change)
        if not (workflow.may_review(request.user, self.article) and self.decisions):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "user": self.request.user,
            "decisions": self.decisions,
        }

    def get_initial(self):
        return {
            "reviewer": getattr(self.request.user, "author_profile", None),
            "text_read": text_stamp(self.article, self.change),
        }

    def get_context_data(self, **kwargs):
        try:
            workflow.reviewer_of(self.request.user)
            no_profile = None
        except ValidationError as missing:
            no_profile = missing.messages[0]
        own_work = workflow.self_review(
            self.request.user, self.article, None, self.change
        )
        return super().get_context_data(
            **kwargs,
            article=self.article,
            pending_change=self.change,
            title=f"Medical review: {self.article}",
            decisions=[(d, DECISIONS[d]) for d in self.decisions],
            no_profile=no_profile,
            own_work=own_work,
            latest_review=self.article.latest_review,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        decision = data["decision"]
        details = {
            "reviewer": data.get("reviewer"),
            **{key: data[key] for key in ("reviewed_on", "next_review_on")},
        }
        user, article, comment = self.request.user, self.article, data["comment"]
        if data["text_read"] != text_stamp(article, self.change):
            form.data = form.data.copy()
            form.data["text_read"] = text_stamp(article, self.change)
            form.add_error(
                None,
                "The text was saved again since you opened this page: read it "
                "again (Preview, and what changed) before you decide.",
            )
            return self.form_invalid(form)
        try:
            done = self.decide(decision, user, article, comment, details)
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, f"“{article}”: {done}")
        return HttpResponseRedirect(
            self.model_admin.after_move_url(self.request, article)
        )

    def decide(self, decision, user, article, comment, details):
        """Make the decision; returns what to tell the reviewer."""
        if self.change is not None and decision != "record":
            if decision == "send_back":
                workflow.send_back_change(article, user, comment)
                return "the change was sent back to its writer."
            if decision == "approve_and_publish":
                workflow.approve_and_publish_change(
                    article, user, comment=comment, **details
                )
                return "the change was approved and is now live."
            workflow.approve_change(article, user, comment=comment, **details)
            return "the change was approved: an editor can publish it now."
        if decision == "record":
            workflow.record_review(article, user, comment=comment, **details)
            return "review recorded; the article stays live."
        if decision == "send_back":
            workflow.move(article, "send_back", user, comment)
            return "sent back to the author."
        if decision == "approve_and_publish":
            workflow.approve_and_publish(article, user, comment, **details)
            return "approved and published."
        workflow.move(article, "approve", user, comment, **details)
        return "approved: an editor can publish it now."


class ReviewDueView(TemplateView):
    model_admin = None
    template_name = "admin/articles/article/review_due.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.has_perm("articles.review_article") or workflow.is_editor(user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.model_admin.admin_site.each_context(self.request),
            opts=self.model_admin.model._meta,
            title="Review due",
            within_days=workflow.REVIEW_DUE_WITHIN_DAYS,
            today=timezone.localdate(),
            articles=workflow.review_due(),
            **kwargs,
        )
