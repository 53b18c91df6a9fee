"""The list of words with a plainer alternative, which the body editor's
reading-level panel draws on: editors keep it, writers may read it."""

from django.contrib import admin

from articles import workflow
from articles.admin.common import SafeInputMixin
from articles.models import PlainerWord


@admin.register(PlainerWord)
class PlainerWordAdmin(SafeInputMixin, admin.ModelAdmin):
    list_display = ["word", "plainer"]
    search_fields = ["word", "plainer"]

    # Granted by role rather than by the model's own permissions, which no
    # group has been given: the list is the editors' style guide.
    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.has_perm("articles.add_article") or user.has_perm(
            "articles.change_article"
        )

    def has_add_permission(self, request):
        return workflow.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user)
