"""Articles in the admin: the editor's main screen.

One ModelAdmin, each hook written once and kept short by calling plain
functions: the workflow's moves and log (articles.admin.workflow and
articles.workflow), changes held for review (articles.pending), the edit
conflict check (the form), revisions and their differences
(articles.admin.revisions). reversion's VersionAdmin keeps a revision of every
save and provides the restore and recover views.

A restore is the one piece of state that crosses hooks: the restore view puts
a Restoring on the request, because reversion reverts the article before the
admin's change view (and so our hooks) runs.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from reversion import add_to_revision, is_active
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import pending, search, workflow
from articles.admin import review
from articles.admin import workflow as moves
from articles.admin.common import URL_FIELD_OVERRIDES, SafeInputMixin
from articles.admin.dates import DATE_FIELD_OVERRIDES
from articles.admin.filters import (
    ReadingLevelFilter,
    VisibilityFilter,
    WaitingFilter,
)
from articles.admin.forms import ArticleAdminForm, ReferenceFormSet
from articles.admin.reading_level import ReadingLevelView, above_target_message
from articles.admin.revisions import (
    CompareView,
    deleted_rows,
    deleted_since,
    history_rows,
)
from articles.admin.sources import (
    LinkStatusInlineMixin,
    ReferenceForm,
    check_sources_now,
    link_problems_badge,
    may_see_sources,
    with_link_problems,
)
from articles.images.widgets import ImageChooserWidget
from articles.link_text import vague_links, vague_links_message
from articles.models import (
    Article,
    ChangeNote,
    PendingChange,
    Reference,
    SlugRedirect,
    Status,
    Topic,
    Transition,
)


class ReferenceInline(LinkStatusInlineMixin, admin.StackedInline):
    model = Reference
    form = ReferenceForm
    formset = ReferenceFormSet
    formfield_overrides = URL_FIELD_OVERRIDES | DATE_FIELD_OVERRIDES
    extra = 0
    min_num = 0
    classes = ["references"]
    fields = [
        ("title", "position"),
        ("publisher", "authors"),
        "url",
        ("link_status", "use_new_address"),
        ("published_on", "published_year"),
        ("doi", "pubmed_id", "accessed_on"),
    ]
    readonly_fields = ["link_status"]


class SlugRedirectInline(admin.TabularInline):
    model = SlugRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["old_slug", "created_at"]
    verbose_name = "old address"
    verbose_name_plural = "old addresses (redirect here)"

    def has_add_permission(self, request, obj):
        return False


class _RestoreForReview(Exception):
    def __init__(self, response):
        self.response = response


@admin.register(Article)
class ArticleAdmin(SafeInputMixin, VersionAdmin):
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
        "sources",
        "reading_grade_label",
    ]
    list_filter = [
        VisibilityFilter,
        WaitingFilter,
        ReadingLevelFilter,
        "status",
        "topics",
        "author",
    ]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "glossary_terms"]}),
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
    # Asked only on the change page, where there is something to change.
    this_save = ["is_substantive_change", "change_note", "opened_at", "opened_version"]
    actions = [
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        check_sources_now,
    ]
    object_history_template = "admin/articles/article/history.html"
    change_list_template = "admin/articles/article/change_list.html"
    recover_list_template = "admin/articles/article/deleted_list.html"
    history_latest_first = True

    class Media:
        css = {"all": ["articles/admin/article_form.css", "articles/admin/sources.css"]}

    # What each role sees and may do.

    def get_queryset(self, request):
        latest_move = Transition.objects.filter(article=OuterRef("pk")).order_by(
            "-moved_at", "-pk"
        )
        return with_link_problems(
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name")))
            .annotate(
                last_move=Subquery(latest_move.values("move")[:1]),
                change_state=Subquery(
                    PendingChange.objects.filter(article=OuterRef("pk")).values("state")
                ),
            )
        )

    def get_object(self, request, object_id, from_field=None):
        """The article as editors work on it: with a restore's kept workflow
        state, or with its pending change in place of the published text."""
        article = super().get_object(request, object_id, from_field)
        if article is None:
            return None
        if (restoring := moves.restoring_of(request)) is not None:
            for name, value in restoring.state.items():
                setattr(article, name, value)
        else:
            pending.show_proposed(article)
        return article

    def stored_article(self, request, object_id):
        """The article as stored, through the role-filtered queryset; 404 when
        the id is not one or the user may not see it."""
        pk = moves.pk_or_none(object_id)
        article = self.get_queryset(request).filter(pk=pk).first() if pk else None
        if article is None:
            raise Http404("No such article.")
        return article

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The admin's own message ("… doesn't exist. Perhaps it was deleted?")
        # misleads an author who opened a colleague's article.
        if Article.objects.filter(pk=moves.pk_or_none(object_id)).exists():
            messages.warning(request, "You can’t open this article.")
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or workflow.is_editor(request.user):
            return True
        return obj.status == Status.DRAFT and workflow.owns(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and super().has_delete_permission(
            request, obj
        )

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def has_check_sources_permission(self, request):
        return may_see_sources(request.user)

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        # "Updated" moves only with a note for readers (is_substantive_change),
        # so the date and the "What changed" list always agree; the status
        # moves only through the workflow.
        fields = [
            "created_at",
            "modified_at",
            "updated_at",
            "status",
            "review_summary",
            "glossary_terms",
        ]
        if not workflow.is_editor(request.user):
            fields += moves.EDITOR_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [*self.fieldsets, ("This save", {"fields": self.this_save})]

    # The form.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {
            "workflow_user": request.user,
            "workflow_move": moves.requested_move(request),
            "workflow_comment": request.POST.get("workflow_comment", ""),
            "is_restore": moves.restoring_of(request) is not None,
        }
        return type(form.__name__, (form,), attrs)

    def get_formsets_with_inlines(self, request, obj=None):
        checks = {
            "checks_publishing": moves.requested_move(request) == "publish",
            "keeps_a_reference": obj is not None
            and obj.status == Status.PUBLISHED
            and obj.is_medical,
        }
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if inline.model is Reference:
                formset = type(formset.__name__, (formset,), checks)
            yield formset, inline

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "featured_image":
            kwargs["widget"] = ImageChooserWidget
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            # A site has a handful of topics: plain checkboxes, all in view.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        # ?field=value prefills the add form, but the admin cannot prefill a
        # date-and-time box from one value: it would crash on it.
        initial = {
            name: value
            for name, value in super().get_changeform_initial_data(request).items()
            if name not in ("published_at", "expire_at", "updated_at")
        }
        author = getattr(request.user, "author_profile", None)
        if author is not None:
            initial.setdefault("author", author.pk)
        return initial

    # Saving.

    def save_model(self, request, obj, form, change):
        if form.held_back:
            # The published row keeps its text: only the editor's publishing
            # times reach it now (save_related keeps the rest for review).
            if workflow.is_editor(request.user):
                Article.objects.filter(pk=obj.pk).update(
                    published_at=obj.published_at, expire_at=obj.expire_at
                )
            return
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        restoring = moves.restoring_of(request)
        if restoring is not None:
            # A restore puts back an old version's text, never its place in
            # the workflow: that moves only through workflow.move().
            for name, value in restoring.state.items():
                setattr(obj, name, value)
        is_substantive = form.cleaned_data.get("is_substantive_change")
        if is_substantive:
            obj.updated_at = timezone.now()
        obj.save()
        if restoring is not None:
            obj.redirect_from(restoring.live_slug)
        if is_substantive:
            ChangeNote.objects.create(
                article=obj,
                changed_at=obj.updated_at,
                note=form.cleaned_data["change_note"].strip(),
            )
        # A warning, not a form error: the editor may need the article out now.
        if links := vague_links(obj.body):
            messages.warning(request, vague_links_message(links))
        if obj.is_above_reading_target():
            messages.warning(
                request, above_target_message(obj, settings.READING_GRADE_TARGET)
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Reference:
            form.instance.renumber_references()

    def save_related(self, request, form, formsets, change):
        if form.held_back:
            moves.hold_from_form(request, form, formsets)
            return
        super().save_related(request, form, formsets, change)
        # Reversion records each object when it is saved, but references are
        # renumbered with bulk_update(), which sends no signal: record the
        # article and its references again, as they finally are.
        if is_active():
            add_to_revision(form.instance)
            for reference in form.instance.references.all():
                add_to_revision(reference)
        moves.record_save(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if form.held_back:  # Nothing was saved: the formsets have no record.
            return "Held a change to the medical content for review."
        return super().construct_change_message(request, form, formsets, add)

    def response_add(self, request, obj, post_url_continue=None):
        # The admin's own response says the article was added; after a move,
        # though, the page to go on from is the article's own.
        response = super().response_add(request, obj, post_url_continue)
        if self.make_requested_move(request, obj):
            return HttpResponseRedirect(self.after_move_url(request, obj))
        return response

    def response_change(self, request, obj):
        if obj.status == Status.PUBLISHED and pending.pending_change_of(obj):
            # Every save of an article with a change waiting is held back.
            messages.success(
                request,
                "Your change is waiting for medical review. Readers see the "
                "published version until a reviewer approves the change and an "
                "editor publishes it.",
            )
            return HttpResponseRedirect(self.after_move_url(request, obj))
        response = super().response_change(request, obj)
        if self.make_requested_move(request, obj):
            return HttpResponseRedirect(self.after_move_url(request, obj))
        return response

    def make_requested_move(self, request, article):
        name = moves.requested_move(request)
        if name not in moves.FORM_MOVES:
            return False
        # The form checked the move already; this only fails on a race.
        moves.move_with_messages(request, article, name)
        return True

    def after_move_url(self, request, article):
        """The article's page, or the list once the move put it out of sight
        (a reviewer sending an article back to its author)."""
        if self.get_queryset(request).filter(pk=article.pk).exists():
            return reverse("admin:articles_article_change", args=[article.pk])
        return reverse("admin:articles_article_changelist")

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        article = context.get("original") or Article(status=Status.DRAFT)
        can_change = (
            self.has_change_permission(request, context.get("original"))
            if change
            else self.has_add_permission(request)
        )
        waiting = pending.pending_change_of(article) if change else None
        context["workflow_buttons"] = moves.buttons(
            article, request.user, waiting, can_change, add
        )
        context["pending_change"] = waiting
        if change:
            context |= {
                # A panel, not an inline: a formset would make every save
                # post its management form for rows nobody may edit.
                "workflow_log": Transition.objects.filter(
                    article=article
                ).select_related("user"),
                "sent_back": moves.sent_back_line(article, waiting),
                "compare_pending_url": reverse(
                    "admin:articles_article_compare", args=[article.pk]
                )
                + "?to=pending",
            }
            if workflow.may_review(request.user, article) and review.decisions_for(
                request.user, article, waiting
            ):
                context["review_url"] = reverse(
                    "admin:articles_article_review", args=[article.pk]
                )
        return super().render_change_form(request, context, add, change, **kwargs)

    # Revisions: history, restores, deleted articles.

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        rows = history_rows(article) if article is not None else []
        context = {"rows": rows} | (extra_context or {})
        return super().history_view(request, object_id, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        stored = self.get_object(request, unquote(object_id))
        if stored is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        # Checked on the article as stored now: reversion puts the old version
        # back, draft status and all, before the admin checks anything.
        if not self.has_change_permission(request, stored):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(stored), pk=moves.pk_or_none(version_id)
        )
        stored = Article.objects.get(pk=stored.pk)
        request.restoring = moves.Restoring.of(stored, version)
        if gone := deleted_since(version):
            # Reverting would write links to rows that no longer exist.
            messages.error(
                request,
                f"This version names {gone} deleted since, so it cannot be "
                "restored as it was. Compare it with the current version and "
                "copy what you need instead.",
            )
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[stored.pk])
            )
        if not workflow.must_hold(stored, False, is_restore=True):
            return super().revision_view(request, object_id, version_id, extra_context)
        # A published medical article: the old version becomes a change that
        # waits for review, so the revert itself is rolled back once the form
        # has said what the change is.
        try:
            with transaction.atomic():
                response = super().revision_view(
                    request, object_id, version_id, extra_context
                )
                if request.method == "POST" and response.status_code == 302:
                    raise _RestoreForReview(response)
        except _RestoreForReview as done:
            if request.restoring.content is None:  # Refused by reversion itself.
                return done.response
            moves.hold_restored(request)
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[stored.pk])
            )
        return response

    def recover_view(self, request, version_id, extra_context=None):
        # Restoring a deleted article undoes a deletion: the editors' call.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(Article), pk=moves.pk_or_none(version_id)
        )
        request.restoring = moves.Restoring(stored=None, state={"status": Status.DRAFT})
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            article = Article.objects.filter(pk=version.object_id).first()
            if article is not None:
                workflow.log(
                    article,
                    request.user,
                    "recover",
                    "Restored after deletion, as a draft.",
                    from_status=Status.DRAFT,
                )
        return response

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        context = {"title": "Deleted articles", "rows": deleted_rows(self.model)}
        return super().recoverlist_view(request, context | (extra_context or {}))

    # The list.

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
        # Only the match itself needs the planner steered to the GIN index
        # (see articles.search.postgres); the list's own queries do not.
        with search.backend().planned():
            found = list(search.matching(queryset, query).values_list("pk", flat=True))
        return queryset.filter(pk__in=found), False

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        """The status, and what the list would otherwise hide: an article sent
        back to its author, a change to a live one waiting."""
        label = article.get_status_display()
        if article.status == Status.DRAFT and article.last_move == "send_back":
            label = "Sent back"
        if article.change_state:
            state = PendingChange.State(article.change_state).label.lower()
            return format_html("{}<br><small>Change {}</small>", label, state)
        return label

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

    @admin.display(description="Sources")
    def sources(self, article):
        return link_problems_badge(article)

    @admin.display(description="Topics")
    def topic_names(self, article):
        return ", ".join(topic.name for topic in article.topics.all())

    @admin.display(description="Glossary terms")
    def glossary_terms(self, article):
        """What readers will see linked, before it is published: the text as
        saved (or as the waiting change has it) with the glossary as it is."""
        terms = article.glossary_terms()
        if not terms:
            return "None: no word of the text is in the glossary."
        return format_html(
            "{}<br>The first use of each links to its definition.",
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((term.url, term.name) for term in terms),
            ),
        )

    @admin.display(description="Reading grade", ordering="reading_grade")
    def reading_grade_label(self, article):
        if article.reading_grade is None:
            return "–"
        grade = f"{article.reading_grade:g}"
        if article.is_above_reading_target():
            return format_html("{}<br><small>Above target</small>", grade)
        return grade

    @admin.display(description="Medical review")
    def review_summary(self, article):
        latest = article.latest_review if article.pk else None
        if latest is None:
            return "Not yet reviewed."
        due = date_format(latest.next_review_on, "DATE_FORMAT")
        return f"{latest}; next review due {due}."

    def view_on_site(self, article):
        # Only live articles have a public address; the rest get "Preview".
        return article.get_absolute_url() if article.is_published() else None

    # The views beside the change form, and the list's actions.

    def get_urls(self):
        def view(cls):
            return self.admin_site.admin_view(cls.as_view(model_admin=self))

        return [
            path(
                "reading-level/",
                view(ReadingLevelView),
                name="articles_article_reading_level",
            ),
            path(
                "review-due/",
                view(review.ReviewDueView),
                name="articles_article_review_due",
            ),
            path(
                "<path:object_id>/move/<str:name>/",
                view(moves.MoveView),
                name="articles_article_move",
            ),
            path(
                "<path:object_id>/review/",
                view(review.ReviewView),
                name="articles_article_review",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(CompareView),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    @admin.action(
        description="Submit selected articles for review", permissions=["submit"]
    )
    def submit_selected(self, request, queryset):
        moves.move_selected(request, queryset, "submit")

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        moves.move_selected(request, queryset, "publish")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        moves.move_selected(request, queryset, "unpublish")
