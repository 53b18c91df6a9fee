from django.contrib import admin

from articles.pages.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "address", "purpose", "is_published", "updated_at"]
    list_filter = ["is_published", "purpose"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        "purpose",
        "body",
        "is_published",
        "position",
        "updated_at",
    ]
    readonly_fields = ["updated_at"]

    @admin.display(description="Address")
    def address(self, page):
        return page.get_absolute_url()

    def view_on_site(self, page):
        # Hidden pages too: whoever may edit them sees them as a preview.
        return page.get_absolute_url()
