"""The image form's round trip in a real Chromium: a save refused for a
missing alt text or credit keeps the chosen file, which browsers never fill
back in, and says so beside the file field."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.images.models import Image
from tests.conftest import signed_in_page

PASSWORD = "correct-horse-battery-staple"


def authors_group():
    """The Authors group as migration 0006 makes it. Browser tests run on a
    database that earlier browser tests flushed, which empties the groups
    (the permissions come back by themselves)."""
    roles = import_module("articles.migrations.0006_roles").ROLES["Authors"]
    group, _ = Group.objects.get_or_create(name="Authors")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("articles", "images"),
            codename__in=[
                f"{action}_{model}"
                for model, actions in roles.items()
                for action in actions
            ],
        )
    )
    return group


@pytest.mark.browser
def test_a_refused_upload_keeps_the_chosen_file(live_server, browser, tmp_path):
    author = User.objects.create_user("sam", password=PASSWORD, is_staff=True)
    author.groups.add(authors_group())
    photo = tmp_path / "waiting-room.png"
    PILImage.new("RGB", (1600, 900), (30, 110, 140)).save(photo, "PNG")

    page = signed_in_page(browser, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.locator("#id_file").set_input_files(photo)
    page.locator("#id_caption").fill("The day unit's waiting room")
    page.locator("input[name=_save]").click()

    # Refused: no alt text, no credit. The browser's file input is empty again,
    # but the file is kept, and the page says so where the file was chosen.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#id_alt_text_error")).to_contain_text("Describe the image")
    expect(page.locator("#id_credit_error")).to_contain_text("our own image")
    expect(page.locator("#id_file_helptext")).to_contain_text(
        "“waiting-room.png” (1600 × 900 pixels) is kept"
    )
    assert page.locator("#id_file").evaluate("input => input.files.length") == 0
    expect(page.locator("#id_caption")).to_have_value("The day unit's waiting room")
    assert not Image.objects.exists()

    page.locator("#id_alt_text").fill("Empty chairs in a bright waiting room")
    page.get_by_label("Our own image").check()
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    image = Image.objects.get()
    assert image.original_filename == "waiting-room.png"
    assert (image.width, image.height) == (1600, 900)
    assert image.is_own_image and image.uploaded_by == author
    assert image.renditions.exists()
