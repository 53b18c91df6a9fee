import os
import re
import subprocess
import sys
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from reversion.models import Revision, Version

from articles.images.models import Image
from articles.management.commands import ensure_admin
from articles.models import Article, Author, MedicalReview, Reference, Tag, Topic
from articles.pages.models import Page, Purpose


def test_demo_content_loads_live_scheduled_and_draft_articles(db):
    call_command("load_demo_content", stdout=None)
    assert 3 <= Article.objects.count() <= 5
    assert Article.objects.published().count() >= 1
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.filter(status="draft").count() == 1
    for article in Article.objects.all():
        assert article.featured_image.credit
        assert 2 <= article.references.count() <= 4
        assert article.topics.exists()
        if article.published_at:
            review = article.medical_reviews.get()
            assert review.reviewer.credentials.startswith("Sample profile: ")


def test_demo_images_are_real_files(db):
    call_command("load_demo_content")
    image = Image.objects.first()
    with image.file.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"
    assert image.width >= 1200


def test_demo_content_is_loaded_only_into_an_empty_site(make_article, capsys):
    make_article()
    call_command("load_demo_content")
    assert Article.objects.count() == 1
    assert not Page.objects.exists()
    assert "not loaded" in capsys.readouterr().out


def test_demo_content_is_not_loaded_beside_real_site_pages(db, capsys):
    Page.objects.create(title="About us", slug="about", is_published=True)
    call_command("load_demo_content")
    assert not Article.objects.exists()
    assert list(Page.objects.values_list("title", flat=True)) == ["About us"]
    assert "not loaded" in capsys.readouterr().out


def test_demo_site_pages_say_who_runs_the_site_and_that_they_are_demo(db):
    call_command("load_demo_content", stdout=None)
    pages = {page.purpose: page for page in Page.objects.published()}
    assert set(pages) == set(Purpose)
    for page in pages.values():
        assert page.body.startswith("<p><strong>Demo content.</strong>")
    assert "Who pays for it" in pages[Purpose.ABOUT].body
    assert "no adverts" in pages[Purpose.ABOUT].body
    assert "Medical review" in pages[Purpose.EDITORIAL_POLICY].body
    assert "Conflicts of interest" in pages[Purpose.EDITORIAL_POLICY].body
    assert "mailto:editor@example.org" in pages[Purpose.CONTACT].body
    assert "sets no cookies" in pages[Purpose.PRIVACY].body


def test_ensure_admin_creates_one_login_and_prints_it(
    db, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / "pw")
    call_command("ensure_admin")
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = (tmp_path / "pw").read_text().strip()
    user = User.objects.get()
    assert user.is_superuser and user.check_password(password)
    assert out.count(f"password: {password}") == 2


def test_ensure_admin_does_not_print_a_changed_password(
    db, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / "pw")
    call_command("ensure_admin")
    user = User.objects.get()
    user.set_password("changed-by-the-editor")
    user.save()
    capsys.readouterr()
    call_command("ensure_admin")
    out = capsys.readouterr().out
    assert "password changed since it was generated" in out


def test_no_demo_article_is_reviewed_by_its_own_author(db):
    call_command("load_demo_content", stdout=None)
    reviews = MedicalReview.objects.select_related("article")
    assert reviews.exists()
    for review in reviews:
        assert review.reviewer_id != review.article.author_id, review.article


def test_demo_authors_cannot_be_taken_for_real_clinicians(db):
    call_command("load_demo_content", stdout=None)
    authors = Author.objects.all()
    assert authors.count() == 3
    for author in authors:
        assert author.name.startswith("Demo ") and author.name.endswith("(sample)")
        assert not re.search(r"\b(Dr|MD|RN)\b", f"{author.name} {author.credentials}")
        assert "not a real person" in author.bio


def test_demo_content_is_not_loaded_into_a_production_database(settings, db, capsys):
    settings.DEMO_CONTENT = False
    call_command("load_demo_content")
    assert not Article.objects.exists() and not Page.objects.exists()
    assert "load_demo_content --force" in capsys.readouterr().out
    call_command("load_demo_content", "--force", stdout=None)
    assert Article.objects.exists() and Page.objects.exists()


def demo_content_setting(**env):
    """settings.DEMO_CONTENT in a process with only ``env`` set of the site's
    settings."""
    site_settings = ("DATABASE_URL", "DEMO_CONTENT", "DJANGO_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(site_settings)}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c"]
        + ["from django.conf import settings; print(settings.DEMO_CONTENT)"],
        cwd=settings.BASE_DIR,
        env=clean
        | {"DJANGO_SETTINGS_MODULE": "blog.settings", "DJANGO_ENV_FILE": ""}
        | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_only_the_single_machine_default_gets_demo_content_unless_asked():
    production = {"DJANGO_PRODUCTION": "1", "DJANGO_SECRET_KEY": "k" * 50}
    assert demo_content_setting() == "True"
    assert demo_content_setting(DATABASE_URL="sqlite:////tmp/x.sqlite3") == "False"
    assert demo_content_setting(**production) == "False"
    assert demo_content_setting(DEMO_CONTENT="1", **production) == "True"


def demo_rows():
    return {
        "articles": Article.objects.count(),
        "pages": Page.objects.count(),
        "images": Image.objects.count(),
        "authors": Author.objects.count(),
        "topics": Topic.objects.count(),
        "tags": Tag.objects.count(),
        "references": Reference.objects.count(),
        "reviews": MedicalReview.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_removing_the_demo_leaves_an_empty_site(
    db, django_capture_on_commit_callbacks, settings
):
    call_command("load_demo_content", stdout=None)
    files = [Path(image.file.path) for image in Image.objects.all()]
    assert all(path.exists() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remove_demo_content", stdout=None)
    assert set(demo_rows().values()) == {0}
    assert not any(path.exists() for path in files)


def test_removing_the_demo_keeps_what_editors_wrote(
    db, editor, make_article, make_image, capsys
):
    call_command("load_demo_content", stdout=None)
    nurse = Author.objects.get(name="Demo Nurse (sample)")
    relapse = Topic.objects.get(name="Relapse")
    demo_picture = Image.objects.first()
    own_topic = Topic.objects.create(name="Bone health", slug="bone-health")
    own = make_article(
        title="Our own article", author=nurse, featured_image=demo_picture
    )
    own.topics.set([relapse, own_topic])
    own_page = Page.objects.create(title="Accessibility", slug="accessibility")
    own_image = make_image()
    edited = Article.objects.get(title="Coping with fear of recurrence")
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Changed body.")
        edited.modified_by = editor
        edited.body += "<p>A paragraph of our own.</p>"
        edited.save()
    about = Page.objects.get(slug="about")
    about.body = "<p>Who we really are.</p>"
    about.save()

    call_command("remove_demo_content")
    out = capsys.readouterr().out

    assert set(Article.objects.values_list("title", flat=True)) == {
        "Our own article",
        "Coping with fear of recurrence",
    }
    own.refresh_from_db()
    assert (own.author, own.featured_image) == (nurse, demo_picture)
    assert set(own.topics.all()) == {relapse, own_topic}
    assert set(Page.objects.all()) == {own_page, about}
    assert Image.objects.filter(pk=own_image.pk).exists()
    assert "Kept article “Coping with fear of recurrence”" in out
    assert "Kept site page “About this site”" in out
    assert "Removed article “What relapse means in multiple myeloma”" in out
    # The edited demo article keeps its author and its history.
    assert Version.objects.get_for_object(edited).count() == 2
    assert not Author.objects.filter(name="Demo Reviewer (sample)").exists()
