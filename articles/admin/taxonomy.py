"""Topics, tags and authors in the admin."""

from django.contrib import admin

from articles.admin.common import SafeInputMixin
from articles.models import (
    Author,
    Tag,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(SafeInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(SafeInputMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(SafeInputMixin, admin.ModelAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]

    def get_list_display(self, request):
        # Logins are the editors' business, not every author's.
        if request.user.has_perm("articles.publish_article"):
            return self.list_display
        return [name for name in self.list_display if name != "user"]

    def get_readonly_fields(self, request, obj=None):
        # The login is chosen from the user list, which only account admins
        # may read; for everyone else the field would be an empty search box.
        if request.user.has_perm("auth.view_user"):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]
