"""The editorial record of an article: workflow moves, medical reviews and the
public notes on what changed."""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from articles.models.articles import Article, Status
from articles.models.authors import Author


def months_later(day, months):
    """The same day ``months`` later; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_next_review_on():
    return months_later(timezone.localdate(), settings.MEDICAL_REVIEW_INTERVAL_MONTHS)


class Transition(models.Model):
    """One move of an article through the workflow: who, when, from, to, why."""

    class Move(models.TextChoices):
        SUBMIT = "submit", "Submit for review"
        APPROVE = "approve", "Approve"
        SEND_BACK = "send_back", "Send back"
        PUBLISH = "publish", "Publish"
        UNPUBLISH = "unpublish", "Unpublish"
        RE_REVIEW = "re_review", "Medical review recorded"
        RESTORE = "restore", "Older version restored"
        RECOVER = "recover", "Restored after deletion"
        CHANGED_AFTER_APPROVAL = "changed_after_approval", "Changed after approval"
        HOLD_CHANGE = "hold_change", "Medical change held for review"
        APPROVE_CHANGE = "approve_change", "Change approved"
        SEND_BACK_CHANGE = "send_back_change", "Change sent back"
        PUBLISH_CHANGE = "publish_change", "Change published"
        DISCARD_CHANGE = "discard_change", "Change discarded"
        MEDICAL_OFF = "medical_off", "No longer medical content"
        MEDICAL_ON = "medical_on", "Medical content again"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    # The statuses alone do not tell a restore from a re-review, or a
    # sent-back draft from a new one.
    move = models.CharField(max_length=30, choices=Move, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-moved_at", "-pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class MedicalReview(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="medical_reviews"
    )
    reviewer = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="medical_reviews",
        help_text="The clinician who checked the article, with their credentials.",
    )
    reviewed_on = models.DateField(default=timezone.localdate)
    next_review_on = models.DateField(
        default=default_next_review_on,
        help_text="When the article must be checked again; 12 months by default.",
    )
    comment = models.TextField(blank=True)
    # Indexed: feeds ask for the newest (articles.feeds.caching).
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        get_latest_by = "reviewed_on"

    def __str__(self):
        return f"Reviewed by {self.reviewer} on {date_format(self.reviewed_on)}"

    def clean(self):
        # Readers take "Medically reviewed by" as a second pair of eyes.
        if (
            self.reviewer_id
            and self.article_id
            and self.reviewer_id == self.article.author_id
        ):
            raise ValidationError(
                {
                    "reviewer": "Nobody reviews their own article: name another "
                    "medical reviewer."
                }
            )


class ChangeNote(models.Model):
    """A substantive update, as readers see it in the article's "What changed"."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="change_notes"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(
        max_length=300,
        help_text="One line for readers, e.g. “Updated the treatment options after "
        "the 2026 approvals”.",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return self.note


class PendingChange(models.Model):
    """A change to the medical content of a published article, held back until
    it is reviewed: readers keep seeing the published text, under the review
    that describes it, until an editor publishes the reviewed change.

    ``content`` is the proposed article (articles.pending says what it holds).
    The approving review is kept here, not as a MedicalReview, because readers
    see every MedicalReview as a review of the text they are reading.
    """

    class State(models.TextChoices):
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="pending_change"
    )
    state = models.CharField(max_length=20, choices=State, default=State.IN_REVIEW)
    content = models.JSONField(encoder=DjangoJSONEncoder)
    note = models.CharField(
        "what changed, for readers",
        max_length=300,
        blank=True,
        help_text="Shown with the “Updated” date once the change is published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    modified_at = models.DateTimeField(auto_now=True)
    reviewer = models.ForeignKey(
        Author, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    review_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return f"Change to “{self.article}” ({self.get_state_display().lower()})"
