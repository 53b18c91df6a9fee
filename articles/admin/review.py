"""Medical review in the admin: recording a review, and the "Review due" list."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from articles import workflow
from articles.admin.dates import DateWidget
from articles.models import Author, Status
from articles.models.workflow import default_next_review_on

DATE_INPUT = DateWidget()


def may_review(user, article):
    """Reviewers review articles in review; on a live article, reviewers and
    editors record a re-review, which keeps it live."""
    if article.status == Status.IN_REVIEW:
        return user.has_perm("articles.review_article")
    if article.status == Status.PUBLISHED:
        return user.has_perm("articles.review_article") or workflow.is_editor(user)
    return False


class ReviewForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        Author.objects.exclude(credentials=""),
        required=False,
        help_text="The clinician who reviewed the article. Empty: you.",
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Reviewers sign their own reviews; editors record them for a clinician.
        if not workflow.is_editor(user):
            del self.fields["reviewer"]


class ArticleAdminViewMixin:
    model_admin = None

    def get_article(self):
        return get_object_or_404(
            self.model_admin.get_queryset(self.request), pk=self.kwargs["object_id"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.model_admin.admin_site.each_context(self.request),
            opts=self.model_admin.model._meta,
            **kwargs,
        )


class ReviewView(ArticleAdminViewMixin, FormView):
    form_class = ReviewForm
    template_name = "admin/articles/article/review.html"

    def dispatch(self, request, *args, **kwargs):
        self.article = self.get_article()
        if not may_review(request.user, self.article):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        return {"reviewer": getattr(self.request.user, "author_profile", None)}

    def get_context_data(self, **kwargs):
        try:
            workflow.reviewer_of(self.request.user)
            no_profile = None
        except ValidationError as missing:
            no_profile = missing.messages[0]
        return super().get_context_data(
            **kwargs,
            article=self.article,
            title=f"Medical review: {self.article}",
            is_re_review=self.article.status == Status.PUBLISHED,
            no_profile=no_profile,
            latest_review=workflow.latest_review(self.article),
        )

    def form_valid(self, form):
        decision = self.request.POST.get("decision")
        data = form.cleaned_data
        dates = {key: data[key] for key in ("reviewed_on", "next_review_on")}
        reviewer = data.get("reviewer")
        try:
            if self.article.status == Status.PUBLISHED:
                workflow.record_review(
                    self.article,
                    self.request.user,
                    reviewer=reviewer,
                    comment=data["comment"],
                    **dates,
                )
                done = "Review recorded; the article stays live."
            elif decision == "send_back":
                workflow.move(
                    self.article, "send_back", self.request.user, data["comment"]
                )
                done = "Sent back to the author."
            else:
                workflow.move(
                    self.article,
                    "approve",
                    self.request.user,
                    data["comment"],
                    reviewer=reviewer,
                    **dates,
                )
                done = "Approved: an editor can publish it now."
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.article}”: {done}")
        return HttpResponseRedirect(
            self.model_admin.after_move_url(self.request, self.article)
        )


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
