"""The emails the workflow sends: to reviewers when there is something to
review, to the writer when it is sent back or approved, to editors when it is
approved.

They are sent after the move is committed, and a failure to send (a mail
server down, a refused address) is logged, never raised: the move has
happened, and the person who made it must not be told otherwise.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from articles.site import absolute_url

logger = logging.getLogger(__name__)

REVIEWERS_GROUP = "Medical reviewers"


def one_line(text):
    """Email headers must not hold line breaks; titles could once."""
    return " ".join(str(text).split())


def name_of(user):
    return user.get_full_name() or user.get_username()


def admin_url(name, article):
    return absolute_url(reverse(f"admin:articles_article_{name}", args=[article.pk]))


def send(subject, body, recipients):
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    try:
        send_mail(one_line(subject), body, None, recipients)
    except Exception:
        logger.exception("Could not send “%s” to %s", one_line(subject), recipients)


def active_users():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def reviewers_addresses():
    return (
        active_users()
        .filter(groups__name=REVIEWERS_GROUP)
        .values_list("email", flat=True)
        .distinct()
    )


def editors_addresses():
    return (
        active_users()
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__codename="publish_article")
        )
        .values_list("email", flat=True)
        .distinct()
    )


def writers_addresses(article, change=None):
    """The people who wrote what is being reviewed: the article's, or the
    change's."""
    if change is not None:
        users = [change.created_by]
    else:
        users = [article.created_by, article.author.user if article.author else None]
    return [user.email for user in users if user is not None and user.is_active]


def what(article, change):
    title = one_line(article.title)
    return f"the change to “{title}”" if change is not None else f"“{title}”"


def tell_reviewers(article, submitted_by, change=None):
    send(
        f"For medical review: {article.title}",
        f"{name_of(submitted_by)} submitted {what(article, change)} for medical "
        f"review.\n\nReview it here: {admin_url('review', article)}\n",
        reviewers_addresses(),
    )


def tell_author_sent_back(article, sent_back_by, comment, change=None):
    send(
        f"Sent back: {article.title}",
        f"{name_of(sent_back_by)} sent {what(article, change)} back, saying:\n\n"
        f"{comment}\n\nOpen it here: {admin_url('change', article)}\n",
        writers_addresses(article, change),
    )


def tell_approved(article, approved_by, change=None):
    body = (
        f"{name_of(approved_by)} approved {what(article, change)} after a medical "
        f"review. An editor can publish it now.\n\n"
        f"Open it here: {admin_url('change', article)}\n"
    )
    recipients = [*writers_addresses(article, change), *editors_addresses()]
    send(f"Approved: {article.title}", body, recipients)


def tell_named_reviewer(article, recorded_by, reviewer):
    """A review recorded in someone's name by someone else: they should know,
    since readers are told they reviewed it."""
    if reviewer.user is None or reviewer.user_id == recorded_by.pk:
        return
    send(
        f"A review in your name: {article.title}",
        f"{name_of(recorded_by)} recorded a medical review of "
        f"“{one_line(article.title)}” in your name ({reviewer}). Readers will "
        "see it. If you did not review it, tell an editor at once.\n\n"
        f"Open it here: {admin_url('change', article)}\n",
        [reviewer.user.email] if reviewer.user.is_active else [],
    )
