"""Articles in the admin: the editor's main screen."""

from django import forms
from django.contrib import admin, messages
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles import search
from articles.admin.common import URL_FIELD_OVERRIDES, SafeAutocompleteMixin
from articles.admin.dates import DATE_FIELD_OVERRIDES
from articles.admin.forms import ArticleAdminForm
from articles.admin.revisions import RevisionAdminMixin
from articles.admin.workflow import WorkflowAdminMixin
from articles.link_text import vague_links, vague_links_message
from articles.models import (
    Article,
    PendingChange,
    Reference,
    SlugRedirect,
    Status,
    Topic,
)
from articles.widgets import ImageChooserWidget


class ReferenceInline(admin.StackedInline):
    model = Reference
    formfield_overrides = URL_FIELD_OVERRIDES | DATE_FIELD_OVERRIDES
    extra = 0
    min_num = 0
    classes = ["references"]
    fields = [
        ("title", "position"),
        ("publisher", "authors"),
        "url",
        ("published_on", "published_year"),
        ("doi", "pubmed_id", "accessed_on"),
    ]


class SlugRedirectInline(admin.TabularInline):
    model = SlugRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["old_slug", "created_at"]
    verbose_name = "old address"
    verbose_name_plural = "old addresses (redirect here)"

    def has_add_permission(self, request, obj):
        return False


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


@admin.register(Article)
class ArticleAdmin(
    SafeAutocompleteMixin, WorkflowAdminMixin, RevisionAdminMixin, VersionAdmin
):
    form = ArticleAdminForm
    formfield_overrides = DATE_FIELD_OVERRIDES
    inlines = [ReferenceInline, SlugRedirectInline]
    list_display = [
        "title",
        "status_label",
        "visibility",
        "published_at",
        "topic_names",
        "author",
    ]
    list_filter = [VisibilityFilter, WaitingFilter, "status", "topics", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["created_at", "modified_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Featured image", {"fields": ["featured_image"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "expire_at",
                    "updated_at",
                    "author",
                    "is_medical",
                    "review_summary",
                ]
            },
        ),
        ("Topics and tags", {"fields": ["topics", "tags"]}),
        (
            "History",
            {"fields": ["created_at", "modified_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/article_form.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name")))
        )

    def get_search_results(self, request, queryset, search_term):
        # On PostgreSQL editors get the readers' search (stemming, "phrases",
        # or, -word, topics and references), over drafts too; elsewhere
        # Django's substring search over search_fields.
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        try:
            query = search.clean_query(search_term)
        except search.MalformedQuery as error:
            messages.error(request, str(error))
            return queryset.none(), False
        return search.matching(queryset, query), False

    def changelist_view(self, request, extra_context=None):
        if not request.GET.get("q", "").strip():
            return super().changelist_view(request, extra_context)
        # Searching, the list's queries need the planner steered to the GIN
        # index as the reader's search does (see articles.search.postgres);
        # the page is rendered inside, as its rows are read while rendering.
        with search.backend().planned():
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            # A site has a handful of topics: plain checkboxes, all in view.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "featured_image":
            kwargs["widget"] = ImageChooserWidget
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        author = getattr(request.user, "author_profile", None)
        if author is not None:
            initial.setdefault("author", author.pk)
        return initial

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Reference:
            form.instance.renumber_references()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A warning, not a form error: the editor may need the article out now.
        if links := vague_links(obj.body):
            messages.warning(request, vague_links_message(links))

    @admin.display(description="Live?")
    def visibility(self, article):
        if article.is_published():
            return "Live"
        if article.is_scheduled():
            return format_html(
                "Scheduled for {}",
                date_format(
                    timezone.localtime(article.published_at), "DATETIME_FORMAT"
                ),
            )
        return "Not live"

    @admin.display(description="Topics")
    def topic_names(self, article):
        return ", ".join(topic.name for topic in article.topics.all())

    def view_on_site(self, article):
        # Only live articles have a public address; the rest get "Preview".
        return article.get_absolute_url() if article.is_published() else None
