"""What the link checker found, where editors work: the "Sources to fix" list,
the badge on the article list, the status beside each reference in the article
form (with the offer to take a moved source's new address), and the action that
checks the selected articles now."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from articles.linkcheck import runs
from articles.models import Link, LinkState, SourceToFix

RECENT_CHECKS_SHOWN = 10


def may_see_sources(user):
    """Who writes references may see what became of their links."""
    return user.has_perm("articles.change_reference")


def with_link_problems(articles):
    """Each article with its number of broken and of moved links."""
    uses = Link.articles.through.objects.filter(article=OuterRef("pk"))

    def count(state):
        counted = (
            uses.filter(link__state=state)
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return articles.annotate(
        broken_links=count(LinkState.BROKEN), moved_links=count(LinkState.MOVED)
    )


def badge(state, text):
    return format_html('<span class="link-badge link-{}">{}</span>', state, text)


def link_problems_badge(article):
    """The article list's "Sources" column."""
    parts = []
    if article.broken_links:
        parts.append(badge("broken", f"{article.broken_links} broken"))
    if article.moved_links:
        parts.append(badge("moved", f"{article.moved_links} moved"))
    return format_html_join(" ", "{}", ((part,) for part in parts)) or "—"


def day(moment):
    return date_format(localtime(moment), "DATE_FORMAT") if moment else "never"


def link_status(link):
    """A link's state in a line, with what the server said and when."""
    if link is None or link.state == LinkState.UNCHECKED:
        return "Not checked yet."
    text = badge(link.state, link.get_state_display())
    details = [f"last checked {day(link.checked_at)}"]
    if link.answer:
        details.insert(0, link.answer)
    if link.state in (LinkState.FAILING, LinkState.BROKEN):
        details.append(
            f"failed {link.failures} time{'s' if link.failures != 1 else ''} "
            f"since {day(link.failing_since)}; last worked {day(link.ok_at)}"
        )
    text = format_html("{} ({})", text, "; ".join(details))
    if link.moved_to:
        text = format_html("{}<br>Now at <code>{}</code>", text, link.moved_to)
    return text


class ReferenceForm(forms.ModelForm):
    """A reference, with the offer to take its link's new address when the
    checker found that it moved for good."""

    use_new_address = forms.BooleanField(
        label="Use the new address",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        url = self.instance.url
        self.instance.checked_link = (
            Link.objects.filter(url=url).first() if url else None
        )
        moved_to = getattr(self.instance.checked_link, "moved_to", "")
        self.moved_to = moved_to
        if moved_to:
            field = self.fields["use_new_address"]
            field.widget = forms.CheckboxInput()
            field.help_text = f"The link leads to {moved_to} for good now."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("use_new_address") and self.moved_to:
            cleaned["url"] = self.moved_to
        return cleaned


class LinkStatusInlineMixin:
    """For the references inline: ``link_status`` as a read-only field."""

    @admin.display(description="Link status")
    def link_status(self, reference):
        return link_status(getattr(reference, "checked_link", None))


@admin.action(description="Check sources now", permissions=["check_sources"])
def check_sources_now(modeladmin, request, queryset):
    # In the request, as the editor asked for an answer now: bounded by
    # LINK_CHECK_ADMIN_SECONDS, and by the per-host limit like any run; what
    # is not answered by then is left for the next run of check_references.
    links = list(runs.gather(queryset))
    summary = runs.check(links, within=settings.LINK_CHECK_ADMIN_SECONDS)
    level = messages.WARNING if summary.not_checked else messages.SUCCESS
    modeladmin.message_user(request, str(summary), level)


@admin.register(SourceToFix)
class SourceToFixAdmin(admin.ModelAdmin):
    list_display = ["url", "status", "live_articles", "articles_list"]
    list_filter = ["state"]
    search_fields = ["url"]
    fields = ["url", "status", "articles_list", "recent_checks"]
    readonly_fields = fields

    class Media:
        css = {"all": ["articles/admin/sources.css"]}

    def get_queryset(self, request):
        return (
            SourceToFix.objects.to_fix()
            .prefetch_related("articles")
            .order_by("-live_articles", "-articles_using", "url")
        )

    def get_ordering(self, request):
        return ["-live_articles", "-articles_using", "url"]

    def has_module_permission(self, request):
        return may_see_sources(request.user)

    def has_view_permission(self, request, obj=None):
        return may_see_sources(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def status(self, link):
        return link_status(link)

    @admin.display(description="Live articles", ordering="live_articles")
    def live_articles(self, link):
        return link.live_articles

    @admin.display(description="Used in")
    def articles_list(self, link):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:articles_article_change", args=[a.pk]), a.title)
                for a in link.articles.all()
            ),
        )

    @admin.display(description="Latest checks")
    def recent_checks(self, link):
        rows = link.checks.all()[:RECENT_CHECKS_SHOWN]
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} {}</li>",
                (
                    (
                        date_format(localtime(c.checked_at), "DATETIME_FORMAT"),
                        c.outcome,
                        c.error or (f"HTTP {c.status_code}" if c.status_code else ""),
                    )
                    for c in rows
                ),
            ),
        )
