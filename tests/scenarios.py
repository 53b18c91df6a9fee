"""What the tests do in a process of the site's own, started as an operator
would start it (`manage.py shell -c "from tests.scenarios import …"`), so that
its settings come from the environment alone."""

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from articles import workflow
from articles.models import Article, Reference, Status
from tests.conftest import role_group


def submit_for_review():
    """A writer submits an article; a medical reviewer is told by email as the
    move commits. Prints the article's id."""
    writer = User.objects.create_user("writer", email="writer@example.org")
    writer.groups.add(role_group("Authors"))
    reviewer = User.objects.create_user("reviewer", email="reviewer@example.org")
    reviewer.groups.add(role_group("Medical reviewers"))
    article = Article.objects.create(
        title="Living with relapsed myeloma",
        slug="living-with-relapsed-myeloma",
        summary="What changes, and what does not.",
        status=Status.DRAFT,
        created_by=writer,
    )
    Reference.objects.create(article=article, title="Relapse", publisher="Blood")
    with transaction.atomic():
        workflow.move(article, "submit", writer)
    print(article.pk)


def broken_page():
    """A reader's request that fails with a bug in a view: a 500."""
    reader = Client(raise_request_exception=False, HTTP_HOST="localhost")
    with override_settings(ROOT_URLCONF="tests.urls_failing"):
        response = reader.get("/broken/")
    print(response.status_code)
