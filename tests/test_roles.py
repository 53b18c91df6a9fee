"""The permission matrix: each role against each action, through the admin's
real views and POSTs. Each action reports whether it took effect in the
database, so a refusal is checked by its result, not by a hidden button."""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Author, MedicalReview, Status
from tests.admin_form import article_form, form_data, review_data

ROLES = ["author", "reviewer", "editor", "superuser"]
ALLOWED = {
    "author": {"create", "edit own", "submit"},
    "reviewer": {"review"},
    "editor": {
        "create",
        "edit own",
        "edit other's",
        "submit",
        "publish",
        "schedule",
        "unpublish",
        "delete",
        "restore",
    },
}
ALLOWED["superuser"] = ALLOWED["editor"] | ALLOWED["reviewer"]


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def actor(request, make_user, client):
    role = request.param
    if role == "superuser":
        user = User.objects.create_superuser("boss", "boss@example.org", "pw")
        Author.objects.create(
            user=user, name="Boss", slug="boss", credentials="MD, oncologist"
        )
    else:
        group = {"author": "Authors", "reviewer": "Medical reviewers"}.get(
            role, "Editors"
        )
        user = make_user(group, credentials="MD, haematologist")
    client.force_login(user)
    return user


@pytest.fixture
def world(make_article, make_reference, make_user):
    """Makes articles belonging to someone: the actor or another author."""
    other = make_user("Authors", credentials="RN")
    clinician = make_user("Medical reviewers", credentials="MD, haematologist")

    def article(owner=None, **fields):
        owner = owner or other
        made = make_article(created_by=owner, author=owner.author_profile, **fields)
        make_reference(made)
        if fields.get("status") in (Status.APPROVED, Status.PUBLISHED):
            MedicalReview.objects.create(
                article=made, reviewer=clinician.author_profile
            )
        return made

    return article


def edit(client, article):
    data = form_data(client, url("change", article.pk))
    if "title" not in data:  # A read-only page: post what a browser could.
        data = article_form()
    client.post(url("change", article.pk), data | {"title": "Edited title"})
    article.refresh_from_db()
    return article.title == "Edited title"


def create(client, user, world):
    client.post(url("add"), article_form())
    return Article.objects.filter(slug="relapse-after-transplant").exists()


def edit_own(client, user, world):
    return edit(client, world(owner=user, status=Status.DRAFT, published_at=None))


def edit_others(client, user, world):
    return edit(client, world(status=Status.DRAFT, published_at=None))


def submit(client, user, world):
    article = world(owner=user, status=Status.DRAFT, published_at=None)
    client.post(url("move", article.pk, "submit"))
    article.refresh_from_db()
    return article.status == Status.IN_REVIEW


def review(client, user, world):
    article = world(status=Status.IN_REVIEW, published_at=None)
    client.post(
        url("review", article.pk),
        review_data(client, url("review", article.pk))
        | {
            "decision": "approve",
            "reviewed_on": "2025-01-10",
            "next_review_on": "2026-01-10",
        },
    )
    article.refresh_from_db()
    return article.status == Status.APPROVED


def publish(client, user, world):
    article = world(owner=user, status=Status.APPROVED, published_at=None)
    client.post(url("move", article.pk, "publish"))
    article.refresh_from_db()
    return article.is_published()


def schedule(client, user, world):
    article = world(owner=user, status=Status.APPROVED, published_at=None)
    later = timezone.localtime() + timedelta(days=2)
    data = form_data(client, url("change", article.pk)) | {
        "_move": "publish",
        "published_at_0": later.strftime("%Y-%m-%d"),
        "published_at_1": "09:00:00",
    }
    client.post(url("change", article.pk), data)
    article.refresh_from_db()
    return article.is_scheduled()


def unpublish(client, user, world):
    article = world(owner=user, status=Status.PUBLISHED)
    client.post(url("move", article.pk, "unpublish"))
    article.refresh_from_db()
    return article.status == Status.UNPUBLISHED


def delete(client, user, world):
    article = world(owner=user, status=Status.DRAFT, published_at=None)
    client.post(url("delete", article.pk), {"post": "yes"})
    return not Article.objects.filter(pk=article.pk).exists()


def restore(client, user, world):
    with reversion.create_revision():
        article = world(owner=user, status=Status.DRAFT, published_at=None)
    pk = article.pk
    article.delete()
    version = Version.objects.get_deleted(Article).get()
    recover = url("recover", version.pk)
    if client.get(recover).status_code != 200:
        return False
    client.post(recover, form_data(client, recover))
    return Article.objects.filter(pk=pk).exists()


ACTIONS = {
    "create": create,
    "edit own": edit_own,
    "edit other's": edit_others,
    "submit": submit,
    "review": review,
    "publish": publish,
    "schedule": schedule,
    "unpublish": unpublish,
    "delete": delete,
    "restore": restore,
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ROLES, indirect=True)
def test_permission_matrix(client, actor, world, action, request):
    role = request.node.callspec.params["actor"]
    assert ACTIONS[action](client, actor, world) == (action in ALLOWED[role])


def test_authors_see_only_their_own_articles(client, make_user, world):
    writer = make_user("Authors", credentials="RN")
    mine = world(owner=writer, status=Status.DRAFT, published_at=None)
    theirs = world(status=Status.DRAFT, published_at=None)
    client.force_login(writer)
    html = client.get(url("changelist")).content.decode()
    assert mine.title in html and theirs.title not in html
    assert client.get(url("change", theirs.pk)).status_code == 302


def test_an_author_cannot_edit_their_article_once_submitted(client, make_user, world):
    writer = make_user("Authors", credentials="RN")
    article = world(owner=writer, status=Status.IN_REVIEW, published_at=None)
    client.force_login(writer)
    page = client.get(url("change", article.pk))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert client.post(url("change", article.pk), article_form()).status_code == 403


def test_reviewers_see_articles_in_review_not_drafts(client, make_user, world):
    reviewer = make_user("Medical reviewers", credentials="MD")
    in_review = world(status=Status.IN_REVIEW, published_at=None)
    draft = world(status=Status.DRAFT, published_at=None)
    client.force_login(reviewer)
    html = client.get(url("changelist")).content.decode()
    assert in_review.title in html and draft.title not in html
    assert client.get(in_review.get_preview_url()).status_code == 200


def test_authors_cannot_set_publishing_fields(client, make_user):
    writer = make_user("Authors", credentials="RN")
    client.force_login(writer)
    client.post(
        url("add"),
        article_form(status=Status.PUBLISHED, is_medical="", expire_at_0="2030-01-01"),
    )
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.is_medical and article.expire_at is None
    assert article.published_at is None


def test_a_reviewer_without_credentials_is_told_why(client, make_user, world):
    reviewer = make_user("Medical reviewers")
    article = world(status=Status.IN_REVIEW, published_at=None)
    client.force_login(reviewer)
    response = client.post(
        url("review", article.pk),
        review_data(client, url("review", article.pk))
        | {
            "decision": "approve",
            "reviewed_on": "2025-01-10",
            "next_review_on": "2026-01-10",
        },
    )
    assert "needs an author profile with credentials" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_changelist_actions_follow_the_roles(client, make_user, world):
    writer = make_user("Authors", credentials="RN")
    mine = world(owner=writer, status=Status.DRAFT, published_at=None)
    client.force_login(writer)
    actions = client.get(url("changelist")).context["action_form"].fields["action"]
    names = {name for name, _ in actions.choices}
    assert "submit_selected" in names
    assert not names & {"publish_selected", "unpublish_selected", "delete_selected"}
    client.post(
        url("changelist"),
        {"action": "publish_selected", "_selected_action": [mine.pk]},
    )
    mine.refresh_from_db()
    assert mine.status == Status.DRAFT


def test_a_recovered_article_comes_back_as_a_draft(client, make_user, world):
    editor = make_user("Editors", credentials="Editor")
    client.force_login(editor)
    with reversion.create_revision():
        article = world(status=Status.PUBLISHED)
    pk = article.pk
    article.delete()
    recover = url("recover", Version.objects.get_deleted(Article).get().pk)
    client.post(recover, form_data(client, recover))
    restored = Article.objects.get(pk=pk)
    assert restored.status == Status.DRAFT
    assert restored.transitions.get().comment == "Restored after deletion, as a draft."


def test_restoring_an_old_version_keeps_the_workflow_status(client, make_user, world):
    editor = make_user("Editors", credentials="Editor")
    client.force_login(editor)
    with reversion.create_revision():
        article = world(status=Status.DRAFT, published_at=None, is_medical=False)
    old = Version.objects.get_for_object(article).get()
    article.status, article.title = Status.PUBLISHED, "Live title"
    with reversion.create_revision():
        article.save()
    restore = url("revision", article.pk, old.pk)
    client.post(restore, form_data(client, restore))
    article.refresh_from_db()
    assert article.title != "Live title"
    assert article.status == Status.PUBLISHED
    assert article.transitions.get().move == "restore"


def test_only_those_who_may_read_the_user_list_link_a_login_to_an_author(
    client, make_user, admin_user
):
    editor = make_user("Editors", credentials="Editor")
    writer = Author.objects.create(name="A writer", slug="a-writer")
    login = User.objects.create_user("newcomer", password="pw", is_staff=True)
    change = reverse("admin:articles_author_change", args=[writer.pk])
    fields = {"name": "A writer", "slug": "a-writer", "credentials": ""}

    # An editor would get an empty search box: the user list is not theirs.
    client.force_login(editor)
    page = client.get(change).content.decode()
    assert 'name="user"' not in page
    response = client.post(change, fields | {"user": str(login.pk)})
    assert response.status_code == 302
    writer.refresh_from_db()
    assert writer.user is None

    client.force_login(admin_user)
    assert 'name="user"' in client.get(change).content.decode()
    response = client.post(change, fields | {"user": str(login.pk)})
    assert response.status_code == 302
    writer.refresh_from_db()
    assert writer.user == login
