"""Two people editing one article: which version the editor opened, and the
message that refuses a save over someone else's newer one (Wagtail and
WordPress both learnt late that silently undoing a colleague's save is worse)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.models import Version


def latest_version_id(article):
    return Version.objects.get_for_object(article).values_list("pk", flat=True).first()


def saved_by_name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def opened_at(value):
    """The hidden field's time; None when missing or mangled (then the save is
    refused, as for a version nobody can vouch for)."""
    try:
        return parse_datetime(value or "")
    except ValueError:
        return None


def conflict_message(article, opened_version, current_version):
    saved_at = timezone.localtime(article.modified_at)
    when = (
        f"at {saved_at:%H:%M}"
        if saved_at.date() == timezone.localdate()
        else f"on {date_format(saved_at, 'MONTH_DAY_FORMAT')} at {saved_at:%H:%M}"
    )
    history = reverse("admin:articles_article_history", args=[article.pk])
    if opened_version.isdigit() and current_version:
        link = reverse("admin:articles_article_compare", args=[article.pk])
        link += f"?from={opened_version}&to={current_version}"
    else:
        link = history
    return format_html(
        "{} saved this article {}, after you opened it. Your text is kept below. "
        '<a href="{}">See what they changed</a>. '
        "To replace their version with yours, save again.",
        saved_by_name(article.modified_by),
        when,
        link,
    )
