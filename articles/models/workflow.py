"""The editorial record of an article: workflow moves, medical reviews and the
public notes on what changed."""

import calendar
from datetime import date

from django.conf import settings
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

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

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
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        get_latest_by = "reviewed_on"

    def __str__(self):
        return f"Reviewed by {self.reviewer} on {date_format(self.reviewed_on)}"


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
