"""The editorial workflow: who may move an article from which status to which,
what publishing requires, who may review, and the record each move leaves.

Every way of moving an article (the change form's buttons, the move and review
views, the changelist's actions, restores) goes through the functions here, so
the rules live in one place and the admin only decides which buttons to show.

A change to the medical content of a published article has a small workflow of
its own (articles.pending): it is held in review, approved or sent back, then
published or discarded, while readers keep the published text.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles import notifications, pending
from articles.models import (
    EARLIEST_PUBLISH_TIME,
    Article,
    Author,
    ChangeNote,
    MedicalReview,
    PendingChange,
    Status,
    Transition,
)
from articles.models.editorial import months_later

logger = logging.getLogger(__name__)

REVIEWERS_GROUP = "Medical reviewers"
# A next review further away than this is a typing slip, not a plan.
MAX_REVIEW_MONTHS = 60
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


def publishing_problems(article, references_count=None):
    """Why ``article`` may not be published yet, keyed by the field to show the
    reason next to: {} when it may.

    ``references_count`` is for a form that has not saved its references yet;
    by default they are counted in the database. A published article is
    checked as it stands, for an editor making a live article medical.
    """
    problems = {}
    if not article.author_id:
        problems["author"] = "A published article needs an author readers can see."
    if not article.is_medical:
        return problems
    reviewed = article.pk and article.current_reviews().exists()
    approved = article.status in (Status.APPROVED, Status.PUBLISHED)
    if not (approved and reviewed):
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


def log(article, user, event, comment="", from_status=None, to_status=None):
    """One line of the workflow log, and of the server's log once it commits."""
    transition = Transition.objects.create(
        article=article,
        user=user,
        move=event,
        from_status=from_status or article.status,
        to_status=to_status or article.status,
        comment=comment,
    )
    transaction.on_commit(lambda: log_line(transition))
    return transition


def log_line(transition):
    logger.info(
        "Article %s “%s”: %s (%s → %s) by %s",
        transition.article_id,
        notifications.one_line(transition.article.title),
        transition.move,
        transition.from_status,
        transition.to_status,
        transition.user.get_username() if transition.user else "nobody",
        extra={
            "article": transition.article_id,
            "move": transition.move,
            "from_status": transition.from_status,
            "to_status": transition.to_status,
            "user": transition.user.get_username() if transition.user else None,
        },
    )


def clean_comment(comment):
    """A workflow comment as it is stored, or ValidationError."""
    if "\x00" in comment:
        raise ValidationError(
            "The comment contains a null character, which cannot be stored. "
            "Type it again rather than pasting it."
        )
    return comment.strip()


@transaction.atomic
def move(article, name, user, comment="", **details):
    """Make the move ``name`` on ``article`` as ``user`` and log it.

    Raises ValidationError with the reason when the move is not allowed.
    ``details``: ``published_at`` for publish (a future time schedules it);
    ``reviewed_on``, ``next_review_on`` and ``reviewer`` for approve.
    """
    comment = clean_comment(comment)
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
        # Unset, Article.save() stamps it now.
        article.published_at = details.get("published_at") or article.published_at
        scheduled = article.published_at and article.published_at > timezone.now()
        if scheduled and not comment:
            local = timezone.localtime(article.published_at)
            comment = f"Scheduled for {date_format(local, 'DATETIME_FORMAT')}."
    if name == "unpublish" and (change := pending.pending_change_of(article)):
        # Off the site, the change needs no holding back: it becomes the
        # article's text, to be reviewed before the article is published again.
        pending.apply(change)
        change.delete()
        comment = comment or "The change that was waiting is now the article’s text."
    from_status = article.status
    article.status = target
    article.modified_by = user
    save_as_revision(
        article, user, f"{MOVES[name].label}{': ' + comment if comment else ''}"
    )
    transition = log(article, user, name, comment, from_status, target)
    if name == "submit":
        transaction.on_commit(lambda: notifications.tell_reviewers(article, user))
    elif name == "send_back":
        transaction.on_commit(
            lambda: notifications.tell_author_sent_back(article, user, comment)
        )
    elif name == "approve":
        transaction.on_commit(lambda: notifications.tell_approved(article, user))
    return transition


@transaction.atomic
def approve_and_publish(article, user, comment="", **details):
    """One step for an editor who is also a medical reviewer; the log keeps
    both moves."""
    move(article, "approve", user, comment, **details)
    return move(article, "publish", user)


def save_as_revision(article, user, comment):
    """Save, keeping a revision: inside the admin's own revision when a form save
    made the move (its comment then says what moved too), or a new one for the
    move buttons and the review page."""
    if reversion.is_active():
        saved = reversion.get_comment()
        if saved and saved != "No fields changed.":
            comment = f"{saved} {comment}"
        reversion.set_comment(comment)
        article.save()
        return
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article.save()


# Who may review.


def may_review(user, article):
    """Reviewers review articles in review; on a live article, reviewers and
    editors record a re-review (which keeps it live) or review its pending
    change."""
    if article.status == Status.IN_REVIEW:
        return user.has_perm("articles.review_article")
    if article.status == Status.PUBLISHED:
        return user.has_perm("articles.review_article") or is_editor(user)
    return False


def reviewer_of(user):
    """The Author profile a review by ``user`` is recorded under."""
    author = getattr(user, "author_profile", None)
    if author is None or not Author.objects.reviewers().filter(pk=author.pk).exists():
        raise ValidationError(
            "Reviews are published under the reviewer’s name and credentials: "
            "your login needs an author profile with credentials (e.g. “MD, "
            "haematologist”) and a place among the medical reviewers. Ask an "
            "editor to add them."
        )
    return author


def writers_of(article, change=None):
    """The people whose words are under review, as (user ids, author ids):
    the byline, whoever created the article, whoever saved the text since it
    was last submitted or published, and whoever proposed or edited the
    pending change."""
    users = {article.created_by_id}
    author_ids = {article.author_id}
    if article.author_id:
        users.add(article.author.user_id)
    users |= editors_since(article, ("submit", "publish", "publish_change"))
    if change is not None:
        users |= {change.created_by_id} | set(
            Transition.objects.filter(
                article=article,
                move__in=["hold_change", "restore"],
                moved_at__gte=change.created_at,
            ).values_list("user_id", flat=True)
        )
        author_ids.add(change.content["fields"].get("author"))
    return users - {None}, author_ids - {None}


def editors_since(article, moves):
    """Who saved the article since its latest move of one of ``moves``."""
    since = (
        Transition.objects.filter(article=article, move__in=moves)
        .values_list("moved_at", flat=True)
        .first()
    )
    versions = Version.objects.get_for_object(article)
    if since is not None:
        versions = versions.filter(revision__date_created__gte=since)
    return set(versions.values_list("revision__user_id", flat=True))


def self_review(user, article, reviewer=None, change=None):
    """Why ``user`` may not record a review of this article, naming
    ``reviewer`` (or themselves), because it is their own work; or None."""
    users, author_ids = writers_of(article, change)
    profile = reviewer or getattr(user, "author_profile", None)
    if user.pk in users or (
        profile is not None and (profile.pk in author_ids or profile.user_id in users)
    ):
        return (
            "Nobody reviews their own article, or a text they wrote or edited: ask "
            "another medical reviewer to review it."
        )
    return None


def check_reviewer(article, user, reviewer, change=None):
    """The Author to record as reviewer, or ValidationError."""
    reviewer = reviewer or reviewer_of(user)
    if not Author.objects.reviewers().filter(pk=reviewer.pk).exists():
        raise ValidationError(
            f"{reviewer.name} is not a medical reviewer with credentials, so "
            "cannot be named as one."
        )
    if reason := self_review(user, article, reviewer, change):
        raise ValidationError(reason)
    return reviewer


def review_dates(dates):
    """The review's dates, with the defaults for any not given; readers are
    told both, so neither may be a slip of the keyboard."""
    review = MedicalReview(**{key: value for key, value in dates.items() if value})
    today = timezone.localdate()
    if review.reviewed_on > today:
        raise ValidationError("A review cannot be dated in the future.")
    if review.reviewed_on < EARLIEST_PUBLISH_TIME.date():
        raise ValidationError("Check the year of the review: before 1990?")
    if review.next_review_on <= review.reviewed_on:
        raise ValidationError("The next review must come after this one.")
    if review.next_review_on > months_later(review.reviewed_on, MAX_REVIEW_MONTHS):
        raise ValidationError(
            f"The next review must fall within {MAX_REVIEW_MONTHS // 12} years of "
            "this one."
        )
    return review.reviewed_on, review.next_review_on


def record_review(article, user, reviewer=None, comment="", **dates):
    """Record a medical review; on a live article it stays live (a re-review),
    and the log says so."""
    reviewer = check_reviewer(article, user, reviewer)
    reviewed_on, next_review_on = review_dates(dates)
    review = MedicalReview.objects.create(
        article=article,
        reviewer=reviewer,
        comment=comment,
        recorded_by=user,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
    )
    if article.status == Status.PUBLISHED:
        log(
            article, user, "re_review", comment or f"Medical review recorded: {review}."
        )
    transaction.on_commit(
        lambda: notifications.tell_named_reviewer(article, user, reviewer)
    )
    return review


# Changes held for review on published articles (articles.pending).


def must_hold(article, is_medical_change, is_restore=False):
    """Whether a save of ``article`` (as stored) must wait for review: a
    medical change, or any restore, on a published medical article, and any
    save while a change already waits."""
    if article.pk is None or article.status != Status.PUBLISHED:
        return False
    if pending.pending_change_of(article) is not None:
        return True
    return article.is_medical and (is_medical_change or is_restore)


@transaction.atomic
def hold_change(article, content, note, user, event="hold_change"):
    """Keep a proposed change to a published article for review, log it and
    tell the reviewers. Saving the waiting change unaltered changes nothing."""
    waiting = pending.pending_change_of(article)
    change = pending.hold(article, content, note, user)
    if change is waiting and event == "hold_change":
        return change
    Article.objects.filter(pk=article.pk).update(
        modified_at=timezone.now(), modified_by=user
    )
    log(article, user, event, note)
    transaction.on_commit(
        lambda: notifications.tell_reviewers(article, user, change=change)
    )
    return change


def change_of(article, *states):
    change = pending.pending_change_of(article)
    if change is None or (states and change.state not in states):
        wanted = " or ".join(str(PendingChange.State(s).label).lower() for s in states)
        raise ValidationError(
            f"This article has no change {wanted}: reload it and try again."
            if states
            else "This article has no change waiting."
        )
    return change


@transaction.atomic
def approve_change(article, user, reviewer=None, comment="", **dates):
    change = change_of(article, PendingChange.State.IN_REVIEW)
    if not user.has_perm("articles.review_article"):
        raise ValidationError("You may not approve changes.")
    change.reviewer = check_reviewer(article, user, reviewer, change)
    change.reviewed_on, change.next_review_on = review_dates(dates)
    change.review_comment = clean_comment(comment)
    change.review_recorded_by = user
    change.state = PendingChange.State.APPROVED
    change.save()
    log(article, user, "approve_change", change.review_comment)
    reviewer = change.reviewer
    transaction.on_commit(
        lambda: notifications.tell_named_reviewer(article, user, reviewer)
    )
    transaction.on_commit(
        lambda: notifications.tell_approved(article, user, change=change)
    )
    return change


@transaction.atomic
def send_back_change(article, user, comment):
    change = change_of(
        article, PendingChange.State.IN_REVIEW, PendingChange.State.APPROVED
    )
    if not (user.has_perm("articles.review_article") or is_editor(user)):
        raise ValidationError("You may not send changes back.")
    comment = clean_comment(comment)
    if not comment:
        raise ValidationError("Say what needs to change: a comment is required.")
    change.state = PendingChange.State.SENT_BACK
    change.save()
    log(article, user, "send_back_change", comment)
    transaction.on_commit(
        lambda: notifications.tell_author_sent_back(
            article, user, comment, change=change
        )
    )
    return change


@transaction.atomic
def publish_change(article, user):
    """Put an approved change live: the text, the review that approved it,
    and, for an article readers have seen, its "Updated" date and note."""
    if not is_editor(user):
        raise ValidationError("You may not publish changes.")
    change = change_of(article, PendingChange.State.APPROVED)
    if problems := pending.gone(change):
        raise ValidationError(problems)
    if article.is_medical and not change.content["references"]:
        raise ValidationError(
            "A medical article needs at least one reference before it is published."
        )
    seen_by_readers = article.is_published()
    if seen_by_readers:
        article.updated_at = timezone.now()
    article.modified_by = user
    with transaction.atomic():
        review = pending.approved_review(change)
        pending.apply(change)
        review.save()
        if seen_by_readers and change.note:
            ChangeNote.objects.create(
                article=article, changed_at=article.updated_at, note=change.note
            )
        change.delete()
        record_revision(article, user, f"Published the reviewed change: {change.note}")
    return log(article, user, "publish_change", change.note)


@transaction.atomic
def approve_and_publish_change(article, user, reviewer=None, comment="", **dates):
    approve_change(article, user, reviewer, comment, **dates)
    return publish_change(article, user)


@transaction.atomic
def discard_change(article, user, comment=""):
    if not is_editor(user):
        raise ValidationError("You may not discard changes.")
    change = change_of(article)
    change.delete()
    return log(article, user, "discard_change", clean_comment(comment))


def record_revision(article, user, comment):
    """Keep a revision of the article with its references as they are now."""
    if reversion.is_active():
        reversion.add_to_revision(article)
        return
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


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
