from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html_join

from articles.glossary.models import Source, Term


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ["title", "publisher", "url", "position"]
    # A link pasted without its scheme is https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["term", "other_forms_line", "updated_at"]
    search_fields = ["term", "other_forms", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    fields = ["term", "slug", "other_forms", "definition", "explanation", "used_in"]
    readonly_fields = ["used_in"]
    inlines = [SourceInline]

    @admin.display(description="Other forms")
    def other_forms_line(self, term):
        return ", ".join(term.forms[1:])

    @admin.display(description="Linked from")
    def used_in(self, term):
        # Imported here: the articles import the glossary, not the reverse
        # way round, except for the editors' view of both.
        from articles.models import Article

        if term.pk is None:
            return "—"
        articles = Article.objects.using_terms([term.slug]).only("title")
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:articles_article_change", args=[a.pk]), a.title)
                    for a in articles
                ),
            )
            or "No article uses it yet."
        )
