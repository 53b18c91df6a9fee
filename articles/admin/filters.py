"""The article list's filters beyond the model's own fields."""

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
