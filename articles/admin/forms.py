"""The article form: the editor's fields plus what a save needs to know.

What the model does not hold: which version the editor opened (so a save over
a newer one is refused, articles.admin.conflicts), whether the save changes
the medical content, with the one line readers see about it, and which
workflow move a button asks for. Refusals show beside the fields they are
about; whether the save must wait for review (articles.pending) is decided
here, once, and read by the admin as ``form.held_back``.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property

from articles import pending, workflow
from articles.admin.body_editor import BodyEditorWidget
from articles.admin.conflicts import conflict_message, latest_version_id, opened_at
from articles.models import Article, Reference, Status

# About 150,000 words of HTML: ten times the longest real article, and well
# inside DATA_UPLOAD_MAX_MEMORY_SIZE, so a too-long body meets this message
# with the text kept rather than a bare "Bad Request".
BODY_MAX_CHARACTERS = 1_000_000


class ArticleAdminForm(forms.ModelForm):
    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    is_substantive_change = forms.BooleanField(
        label="This changes the medical content",
        required=False,
        help_text="New evidence, changed advice or a correction readers should "
        "know about. Sets the “Updated” date and adds your note to the "
        "article’s “What changed” list. Leave unticked for typo fixes.",
    )
    change_note = forms.CharField(
        label="What changed, for readers",
        max_length=300,
        required=False,
        help_text="One line, e.g. “Updated the treatment options after the 2026 "
        "approvals”.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    # Set per request by ArticleAdmin.get_form(), which builds a new class
    # each time: who saves, the workflow button pressed and its comment, and
    # whether this is a restore (which puts an old version back on purpose, so
    # the newest one is meant to be replaced).
    workflow_user = None
    workflow_move = None
    workflow_comment = ""
    is_restore = False
    # Set by clean(): the save changes the medical content of a published
    # article, so it is kept for review instead of saved.
    held_back = False

    class Meta:
        model = Article
        # ModelAdmin.get_form() passes the fields of the admin's fieldsets.
        fields = "__all__"  # noqa: DJ007
        widgets = {"body": BodyEditorWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_at"].initial = self.instance.modified_at.isoformat()
            self.fields["opened_version"].initial = str(
                latest_version_id(self.instance) or ""
            )
        byline = self.fields.get("author")
        if byline is not None and not workflow.is_editor(self.workflow_user):
            # An author's byline is their own: only editors choose another
            # (one an editor chose stays on offer).
            byline.queryset = byline.queryset.filter(
                Q(user=self.workflow_user) | Q(pk=self.instance.author_id)
            )

    @cached_property
    def changed_data(self):
        # Bookkeeping, not a change: kept out of the history's "Changed …".
        return [
            name
            for name in super().changed_data
            if name not in ("opened_at", "opened_version")
        ]

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        if len(body) > BODY_MAX_CHARACTERS:
            raise ValidationError(
                "The body is %(length)s characters long, more than the "
                "%(limit)s an article may have. Split it into several articles, "
                "or remove what was pasted by mistake (large pasted tables or "
                "hidden formatting). Your text is kept below.",
                code="body_too_long",
                params={
                    "length": f"{len(body):,}",
                    "limit": f"{BODY_MAX_CHARACTERS:,}",
                },
            )
        return body

    def clean_featured_image(self):
        image = self.cleaned_data.get("featured_image")
        # Checked when chosen, so an article keeps an image chosen before the
        # minimum size existed until someone picks another.
        problem = image and image.featured_size_problem()
        if problem and "featured_image" in self.changed_data:
            raise ValidationError(problem, code="image_too_small")
        return image

    def clean(self):
        cleaned_data = super().clean()
        # self.instance is still the article as stored (or, with a change
        # waiting, as proposed): the form's values go into it after clean().
        if self.instance.pk and not self.is_restore:
            self.refuse_a_save_over_a_newer_version()
        self.clean_substantive_change()
        try:
            workflow.clean_comment(self.workflow_comment)
        except ValidationError as error:
            self.add_error(None, error)
        self.held_back = workflow.must_hold(
            self.instance,
            bool(cleaned_data.get("is_substantive_change")),
            is_restore=self.is_restore,
        )
        if self.held_back:
            self.clean_held_back()
        elif self.instance.status in (Status.APPROVED, Status.PUBLISHED):
            self.clean_medical_switch()
        if (
            self.instance.status == Status.PUBLISHED
            and self.instance.author_id
            and "author" in self.fields
            and not cleaned_data.get("author")
            and not self.has_error("author")
        ):
            self.add_error(
                "author", "A published article needs an author readers can see."
            )
        self.clean_byline_is_not_the_reviewer()
        if self.workflow_move:
            self.clean_move()
        return cleaned_data

    def clean_substantive_change(self):
        is_substantive = self.cleaned_data.get("is_substantive_change")
        note = self.cleaned_data.get("change_note", "").strip()
        if is_substantive and not note:
            self.add_error(
                "change_note",
                "Write one line for readers about what changed: it appears with "
                "the “Updated” date.",
            )
        elif note and not is_substantive and not self.is_restore:
            # A restore's note needs no tick: restoring a published medical
            # article always waits for review (articles.workflow.must_hold).
            self.add_error(
                "change_note",
                "Tick “This changes the medical content” to publish this note, or "
                "clear it for a typo fix.",
            )
        elif (
            is_substantive
            and not self.instance.has_been_published()
            # A scheduled article's medical change still waits for review.
            and self.instance.status != Status.PUBLISHED
        ):
            self.add_error(
                "is_substantive_change",
                "This article has not been published yet, so readers will see it "
                "as new: there is nothing to mark as updated.",
            )

    def clean_held_back(self):
        if self.workflow_move:
            self.add_error(
                None,
                "This save changes a published medical article, so it waits for "
                "review: save it first, without a workflow button.",
            )
        if self.cleaned_data.get("is_medical") is False:
            self.add_error(
                "is_medical",
                "A medical change is waiting for review: publish or discard it "
                "before making the article non-medical.",
            )
        change = pending.pending_change_of(self.instance)
        note = (self.cleaned_data.get("change_note") or "").strip()
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

    def clean_medical_switch(self):
        """An approved or live article made medical must meet the publishing
        gate at once, with a review of its text as it is now: reviews from
        before it last stopped being medical do not count
        (Article.current_reviews)."""
        if self.instance.is_medical or not self.cleaned_data.get("is_medical"):
            return
        article = copy.copy(self.instance)
        article.is_medical = True
        for name, reason in workflow.publishing_problems(article).items():
            if name == "is_medical":
                reason = (
                    "An approved or live article becomes medical only once a "
                    "medical reviewer has reviewed its text as it is now: record a "
                    "medical review of the live article, or send it back for review."
                )
            self.add_error("is_medical", reason)

    def clean_byline_is_not_the_reviewer(self):
        """Readers must not see one person as both writer and reviewer."""
        author = self.cleaned_data.get("author")
        if not author or not self.instance.pk:
            return
        if self.instance.current_reviews().filter(reviewer=author).exists():
            self.add_error(
                "author",
                f"{author.name} reviewed this article, so cannot also be its "
                "author: choose another byline.",
            )

    def clean_move(self):
        """The move a button asks for, and the publishing gate, on the article
        as it would be saved."""
        article = copy.copy(self.instance)
        for name in ("author", "is_medical", "published_at"):
            if name in self.cleaned_data:
                setattr(article, name, self.cleaned_data[name])
        for reason in workflow.refusals(
            article, self.workflow_move, self.workflow_user
        ):
            self.add_error(None, reason)
        if self.workflow_move == "publish":
            # References are the formset's to check, beside the references.
            problems = workflow.publishing_problems(article, references_count=1)
            for name, reason in problems.items():
                self.add_error(name if name in self.fields else None, reason)

    def refuse_a_save_over_a_newer_version(self):
        stored = self.instance
        if opened_at(self.data.get(self.add_prefix("opened_at"))) == stored.modified_at:
            return
        opened_version = self.data.get(self.add_prefix("opened_version"), "")
        current_version = latest_version_id(stored)
        # The next save is the editor's deliberate choice: let it through.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_at")] = stored.modified_at.isoformat()
        self.data[self.add_prefix("opened_version")] = str(current_version or "")
        raise ValidationError(
            conflict_message(stored, opened_version, current_version),
            code="saved_since_opened",
        )

    def proposed_content(self, formsets):
        """What a held-back save proposes: this form's article, topics and
        tags, and the references as the formset would leave them."""
        article = self.instance
        data = self.cleaned_data
        topics = data["topics"] if "topics" in data else article.topics.all()
        tags = data["tags"] if "tags" in data else article.tags.all()
        references = list(article.references.all())
        for formset in formsets:
            if formset.model is Reference:
                references = formset.kept_references()
        return pending.content_of(article, topics, tags, references)


class ReferenceFormSet(BaseInlineFormSet):
    """The references inline.

    Unbound, it shows a pending change's references when the article shows
    its change (the ones it keeps, as it would change them, as the usual rows;
    the ones it adds as new rows); bound, it is the usual formset, since the
    browser posts the ids of references that exist. With ``checks_publishing``
    (a "Save and publish"), it applies the gate's reference rule above the
    references.
    """

    checks_publishing = False
    # A live medical article: its sources may change, but not all go.
    keeps_a_reference = False

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

    def clean(self):
        super().clean()
        kept = len(self.kept_references())
        if self.keeps_a_reference and not kept and self.instance.references.exists():
            raise ValidationError(
                "A live medical article needs at least one reference: add the new "
                "one before removing the last."
            )
        if not self.checks_publishing:
            return
        problems = workflow.publishing_problems(self.instance, references_count=kept)
        if reason := problems.get("references"):
            raise ValidationError(reason)

    def kept_references(self):
        """The references as this formset would leave them (unsaved)."""
        return [
            form.instance
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
