"""The article list's filters beyond the model's own fields."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q

from articles.models import PendingChange, Status


class VisibilityFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", "Live"), ("scheduled", "Scheduled"), ("draft", "Draft")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.filter(status=Status.DRAFT)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """What someone must act on: reviewers' and writers' queues."""

    title = "waiting"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("review", "For medical review"), ("sent_back", "Sent back")]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(
                Q(status=Status.IN_REVIEW, pending_change__isnull=True)
                | Q(pending_change__state=PendingChange.State.IN_REVIEW)
            )
        if self.value() == "sent_back":
            return queryset.filter(
                Q(status=Status.DRAFT, last_move="send_back")
                | Q(pending_change__state=PendingChange.State.SENT_BACK)
            )
        return queryset


class ReadingLevelFilter(admin.SimpleListFilter):
    title = "reading level"
    parameter_name = "reading_level"

    def lookups(self, request, model_admin):
        target = f"{settings.READING_GRADE_TARGET:g}"
        return [
            ("above", f"Above target (grade {target})"),
            ("within", "At or below target"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "above":
            return queryset.above_reading_target()
        if self.value() == "within":
            return queryset.within_reading_target()
        return queryset
