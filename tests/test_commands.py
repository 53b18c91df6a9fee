from django.contrib.auth.models import User
from django.core.management import call_command

from articles.images.models import Image
from articles.management.commands import ensure_admin
from articles.models import Article, MedicalReview
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
            assert review.reviewer.credentials.startswith("MD, ")


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
