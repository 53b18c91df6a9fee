"""Import from WordPress, in the admin: superusers only, since an import
writes articles, images and redirects across the whole site."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from articles.wordpress import background
from articles.wordpress.forms import WordPressImportForm
from articles.wordpress.models import WordPressImport

# Shown from the report kept on the row, in this order.
COUNTS = [
    ("imported", "Posts imported"),
    ("updated", "Posts updated"),
    ("unchanged", "Posts unchanged"),
    ("skipped", "Posts skipped"),
    ("redirects", "Old addresses redirected"),
    ("images", "Images imported"),
]
REFRESH_SECONDS = 3


@admin.register(WordPressImport)
class WordPressImportAdmin(admin.ModelAdmin):
    form = WordPressImportForm
    add_form_template = "admin/wordpress/wordpressimport/add_form.html"
    change_form_template = "admin/wordpress/wordpressimport/change_form.html"
    list_display = ["export_name", "state", "created_by", "created_at", "imported"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "progress",
        "error",
        "counts",
        "vague_links",
        "report_lines",
        "created_by",
        "created_at",
    ]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        # What an import did is a record: it is read, never edited.
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["export", "uploads_zip", "as_drafts", "is_dry_run", "kept_export"]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"uploader": request.user})

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        form.discard_kept_export()
        background.start_after_commit(obj)

    def response_add(self, request, obj, post_url_continue=None):
        # To the report, which follows the import as it runs.
        return HttpResponseRedirect(
            reverse("admin:wordpress_wordpressimport_change", args=[obj.pk])
        )

    def render_change_form(self, request, context, add=False, change=False, **kw):
        obj = context.get("original")
        context["refresh_seconds"] = (
            REFRESH_SECONDS
            if obj is not None and not obj.is_finished and not obj.is_stalled
            else None
        )
        context["zip_limit_mb"] = settings.WORDPRESS_ZIP_MAX_BYTES // 1_000_000
        return super().render_change_form(request, context, add, change, **kw)

    @admin.display(description="Imported")
    def imported(self, obj):
        return obj.report.get("imported", "")

    @admin.display(description="Progress")
    def progress(self, obj):
        if obj.is_stalled:
            since = localtime(obj.heard_at or obj.started_at or obj.created_at)
            return (
                "Stopped: nothing heard from it since "
                f"{since:%d %B %Y %H:%M}, as if the server restarted. "
                "Upload the export again: what was imported is not doubled."
            )
        if obj.state == WordPressImport.State.RUNNING and obj.total:
            return f"Running: {obj.done} of {obj.total} posts."
        return obj.get_state_display()

    @admin.display(description="Summary")
    def counts(self, obj):
        report = obj.report
        if not report:
            return "—"
        rows = [(label, report.get(key, 0)) for key, label in COUNTS]
        rows.append(("Vague links found", len(report.get("vague_links", []))))
        heading = "Dry run: nothing was written. " if report.get("dry_run") else ""
        return format_html(
            '{}<table class="wordpress-counts">{}</table>',
            heading,
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description="Vague links")
    def vague_links(self, obj):
        links = obj.report.get("vague_links", [])
        if not links:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>WordPress id {} “{}”: “{}” → {}</li>",
                (
                    (link["post_id"], link["title"], link["text"], link["url"])
                    for link in links
                ),
            ),
        )

    @admin.display(description="Report")
    def report_lines(self, obj):
        lines = obj.report.get("lines", [])
        if not lines:
            return "—"
        return format_html("<pre>{}</pre>", "\n".join(lines))
