"""The editorial workflow: who may move an article from which status to which,
what publishing requires, and the record each move leaves.

Every way of moving an article (the change form's buttons, the move and review
views, the changelist's actions) goes through ``move()``, so the rules live in
one place and the admin only decides which buttons to show.
"""

from dataclasses import dataclass
from datetime import timedelta

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles import structured_data
from articles.models import Article, MedicalReview, Status, Transition

REVIEWERS_GROUP = "Medical reviewers"
# The "Review due" list warns this many days ahead.
REVIEW_DUE_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple
    target: str
    # Any one of these permissions allows the move.
    permissions: tuple
    comment_required: bool = False


MOVES = {
    move.name: move
    for move in [
        Move(
            "submit",
            "Submit for review",
            (Status.DRAFT, Status.UNPUBLISHED),
            Status.IN_REVIEW,
            ("articles.submit_article",),
        ),
        Move(
            "approve",
            "Approve",
            (Status.IN_REVIEW,),
            Status.APPROVED,
            ("articles.review_article",),
        ),
        Move(
            "send_back",
            "Send back",
            (Status.IN_REVIEW, Status.APPROVED),
            Status.DRAFT,
            ("articles.review_article", "articles.publish_article"),
            comment_required=True,
        ),
        # Medical articles must also be approved: see publishing_problems().
        Move(
            "publish",
            "Publish",
            (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.UNPUBLISHED),
            Status.PUBLISHED,
            ("articles.publish_article",),
        ),
        Move(
            "unpublish",
            "Unpublish",
            (Status.PUBLISHED,),
            Status.UNPUBLISHED,
            ("articles.publish_article",),
        ),
    ]
}


def is_editor(user):
    return user.has_perm("articles.publish_article")


def owns(user, article):
    """An article is an author's own when they created it or it is under their
    name. A new article is its writer's own."""
    if article.pk is None:
        return True
    author = article.author if article.author_id else None
    return article.created_by_id == user.pk or (
        author is not None and author.user_id == user.pk
    )


def refusals(article, name, user):
    """Why ``user`` may not make the move ``name`` on ``article`` now: a list of
    reasons, empty when the move is allowed. The publishing gate is separate."""
    move = MOVES.get(name)
    if move is None:
        return [f"There is no workflow move called “{name}”."]
    if not any(user.has_perm(permission) for permission in move.permissions):
        return [f"You may not {move.label.lower()} articles."]
    if name == "submit" and not is_editor(user) and not owns(user, article):
        return ["Authors may submit only their own articles."]
    if article.status not in move.sources:
        return [
            f"A {article.get_status_display().lower()} article cannot be moved "
            f"with “{move.label}”."
        ]
    return []


def allowed_moves(article, user):
    return [move for name, move in MOVES.items() if not refusals(article, name, user)]


def latest_review(article):
    """The article's newest medical review, from prefetched reviews when the
    view loaded them (ARTICLE_PAGE_PREFETCH), or None."""
    reviews = article.medical_reviews.all()
    return reviews[0] if reviews else None


def publishing_problems(article, references_count=None):
    """Why ``article`` may not be published yet, keyed by the field to show the
    reason next to: {} when it may.

    ``references_count`` is for a form that has not saved its references yet;
    by default they are counted in the database.
    """
    problems = {}
    if not article.author_id:
        problems["author"] = "A published article needs an author readers can see."
    if not article.is_medical:
        return problems
    if article.status != Status.APPROVED or not (
        article.pk and article.medical_reviews.exists()
    ):
        problems["is_medical"] = (
            "A medical article needs a medical review: submit it for review and "
            "publish it once a reviewer has approved it. Untick “medical content” "
            "only for site news or announcements."
        )
    if references_count is None:
        references_count = article.references.count() if article.pk else 0
    if references_count == 0:
        problems["references"] = (
            "A medical article needs at least one reference before it is published."
        )
    return problems


@transaction.atomic
def move(article, name, user, comment="", **details):
    """Make the move ``name`` on ``article`` as ``user`` and log it.

    Raises ValidationError with the reason when the move is not allowed.
    ``details``: ``published_at`` for publish (a future time schedules it);
    ``reviewed_on``, ``next_review_on`` and ``reviewer`` for approve.
    """
    comment = comment.strip()
    # Two people pressing buttons on the same article: the second sees the
    # status the first left, not the one their page showed.
    stored = (
        Article.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=article.pk)
    )
    if stored != article.status:
        raise ValidationError(
            "Someone else has moved this article meanwhile; reload it and try again."
        )
    if reasons := refusals(article, name, user):
        raise ValidationError(reasons)
    target = MOVES[name].target
    if MOVES[name].comment_required and not comment:
        raise ValidationError("Say what needs to change: a comment is required.")
    if name == "approve":
        record_review(article, user, comment=comment, **details)
    if name == "publish":
        if problems := publishing_problems(article):
            raise ValidationError(list(problems.values()))
        article.published_at = (
            details.get("published_at") or article.published_at or timezone.now()
        )
        if article.published_at > timezone.now() and not comment:
            local = timezone.localtime(article.published_at)
            comment = f"Scheduled for {date_format(local, 'DATETIME_FORMAT')}."
    from_status = article.status
    article.status = target
    article.modified_by = user
    save_as_revision(
        article, user, f"{MOVES[name].label}{': ' + comment if comment else ''}"
    )
    transition = Transition.objects.create(
        article=article,
        user=user,
        from_status=from_status,
        to_status=target,
        comment=comment,
    )
    if name == "submit":
        transaction.on_commit(lambda: tell_reviewers(article, user))
    return transition


def save_as_revision(article, user, comment):
    """Save, keeping a revision: inside the admin's own revision when a form save
    made the move, or a new one for the move buttons and the review page."""
    if reversion.is_active():
        article.save()
        return
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article.save()


def reviewer_of(user):
    """The Author profile a review by ``user`` is recorded under."""
    author = getattr(user, "author_profile", None)
    if author is None or not author.credentials:
        raise ValidationError(
            "Reviews are published under the reviewer’s name and credentials: "
            "your login needs an author profile with credentials (e.g. “MD, "
            "haematologist”). Ask an editor to add them."
        )
    return author


def record_review(article, user, reviewer=None, comment="", **dates):
    """Record a medical review; on a live article it stays live (a re-review),
    and the log says so."""
    reviewer = reviewer or reviewer_of(user)
    review = MedicalReview(
        article=article,
        reviewer=reviewer,
        comment=comment,
        recorded_by=user,
        **{key: value for key, value in dates.items() if value},
    )
    if review.next_review_on <= review.reviewed_on:
        raise ValidationError("The next review must come after this one.")
    review.save()
    if article.status == Status.PUBLISHED:
        Transition.objects.create(
            article=article,
            user=user,
            from_status=article.status,
            to_status=article.status,
            comment=comment or f"Medical review recorded: {review}.",
        )
    return review


def tell_reviewers(article, submitted_by):
    recipients = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=REVIEWERS_GROUP)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    review_url = structured_data.absolute_url(
        reverse("admin:articles_article_review", args=[article.pk])
    )
    send_mail(
        f"For medical review: {article.title}",
        f"{submitted_by.get_full_name() or submitted_by.get_username()} submitted "
        f"“{article.title}” for medical review.\n\nReview it here: {review_url}\n",
        None,
        sorted(recipients),
    )


def review_context(article):
    """What the article page needs to show its latest review: the reader's line
    and the JSON-LD's lastReviewed and reviewedBy."""
    review = latest_review(article)
    return {
        "latest_review": review,
        "medical_review": structured_data.MedicalReview(
            reviewed_on=review.reviewed_on, reviewers=[review.reviewer]
        )
        if review
        else None,
    }


def review_due(within_days=REVIEW_DUE_WITHIN_DAYS):
    """Live medical articles whose next review is past or within
    ``within_days``, or that were never reviewed, the most overdue first.

    One query: the latest review's dates and reviewer come as annotations.
    """
    latest = MedicalReview.objects.filter(article=OuterRef("pk")).order_by(
        "-reviewed_on", "-pk"
    )
    horizon = timezone.localdate() + timedelta(days=within_days)
    return (
        Article.objects.published()
        .filter(is_medical=True)
        .annotate(
            next_review_on=Subquery(latest.values("next_review_on")[:1]),
            last_reviewed_on=Subquery(latest.values("reviewed_on")[:1]),
            last_reviewer=Subquery(latest.values("reviewer__name")[:1]),
        )
        .filter(Q(next_review_on__isnull=True) | Q(next_review_on__lte=horizon))
        .order_by(F("next_review_on").asc(nulls_first=True), "published_at", "pk")
    )
