"""The article form: the editor's fields plus what a save needs to know.

Two things the model does not hold. Which version the editor opened, so that
a save over someone else's newer one is refused rather than silently undoing
it (Wagtail and WordPress both learnt this late). And whether the save
changes the medical content, with the one line readers see about it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from reversion.models import Version

from articles.admin.body_editor import BodyEditorWidget
from articles.models import Article, Status

# About 150,000 words of HTML: ten times the longest real article, and well
# inside DATA_UPLOAD_MAX_MEMORY_SIZE, so a too-long body meets this message
# with the text kept rather than a bare "Bad Request".
BODY_MAX_CHARACTERS = 1_000_000


def latest_version_id(article):
    return Version.objects.get_for_object(article).values_list("pk", flat=True).first()


def saved_by_name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def opened_at(value):
    """The hidden field's time; None when missing or mangled (then the save is
    refused, as for a version nobody can vouch for)."""
    try:
        return parse_datetime(value or "")
    except ValueError:
        return None


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

    # Off on the restore and recover pages: those put an old version back on
    # purpose, so the newest one is meant to be replaced.
    checks_for_conflicts = True
    is_restore = False

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
        if self.instance.pk and self.checks_for_conflicts:
            self.refuse_a_save_over_a_newer_version()
        self.clean_substantive_change()
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

    def refuse_a_save_over_a_newer_version(self):
        # self.instance is still the article as stored: the form's values go
        # into it only after clean().
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


def conflict_message(article, opened_version, current_version):
    saved_at = timezone.localtime(article.modified_at)
    when = (
        f"at {saved_at:%H:%M}"
        if saved_at.date() == timezone.localdate()
        else f"on {date_format(saved_at, 'MONTH_DAY_FORMAT')} at {saved_at:%H:%M}"
    )
    history = reverse("admin:articles_article_history", args=[article.pk])
    if opened_version.isdigit() and current_version:
        link = reverse("admin:articles_article_compare", args=[article.pk])
        link += f"?from={opened_version}&to={current_version}"
    else:
        link = history
    return format_html(
        "{} saved this article {}, after you opened it. Your text is kept below. "
        '<a href="{}">See what they changed</a>. '
        "To replace their version with yours, save again.",
        saved_by_name(article.modified_by),
        when,
        link,
    )
