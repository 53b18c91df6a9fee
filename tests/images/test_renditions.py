"""Responsive images: renditions, crops, metadata stripping and the markup."""

import io
import re
from pathlib import Path, PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageCms

from articles.images.models import Image, Rendition

ORIENTATION = 0x0112
GPS_IFD = 0x8825
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="51,30.0N"/></rdf:RDF></x:xmpmeta>'
)


def image_file(size, image_format="JPEG", mode="RGB", color=(30, 110, 140)):
    buffer = io.BytesIO()
    PILImage.new(mode, size, color).save(buffer, format=image_format)
    extension = {"JPEG": "jpg"}.get(image_format, image_format.lower())
    return ContentFile(buffer.getvalue(), name=f"photo.{extension}")


def phone_photo():
    """A 60 x 40 JPEG taken sideways: orientation 6, GPS position, XMP, comment.

    The top-left corner is red, so where it ends up shows the turn was made.
    """
    picture = PILImage.new("RGB", (60, 40), (30, 110, 140))
    picture.paste((255, 0, 0), (0, 0, 10, 10))
    exif = PILImage.Exif()
    exif[ORIENTATION] = 6  # Stored on its side: turn 90° clockwise to view.
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes(), xmp=XMP, comment=b"Taken at home")
    content = buffer.getvalue()
    with PILImage.open(io.BytesIO(content)) as check:  # The test's own premise.
        assert check.getexif().get_ifd(GPS_IFD)[1] == "N"
    return content


def opened(field_file):
    with field_file.open("rb") as stored:
        picture = PILImage.open(io.BytesIO(stored.read()))
    picture.load()
    return picture


def assert_no_metadata(field_file):
    picture = opened(field_file)
    assert not picture.getexif(), field_file.name
    assert not picture.getexif().get_ifd(GPS_IFD), field_file.name
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & picture.info.keys()
    with field_file.open("rb") as stored:
        raw = stored.read()
    assert b"Exif\x00\x00" not in raw and b"GPSLatitude" not in raw
    assert b"PhoneMaker" not in raw and b"Taken at home" not in raw


def whole(image, image_format):
    return [r.width for r in image.whole_renditions(image_format)]


@pytest.fixture
def wide_image(make_image):
    """Wide enough for every rendition width."""
    return make_image(file=image_file((1700, 900)))


def test_renditions_exist_in_every_width_and_format(wide_image):
    assert wide_image.fallback_format == "jpeg"
    # The admin's thumbnails and chooser use the smallest, not the original.
    assert wide_image.thumbnail_url.endswith("/400w.jpg")
    [folder] = {PurePosixPath(r.file.name).parent for r in wide_image.renditions.all()}
    # A random token names the folder, not the image's id, which anyone can count.
    assert re.fullmatch(r"renditions/[0-9a-f]{32}", str(folder))
    for image_format, pillow_format in [("jpeg", "JPEG"), ("webp", "WEBP")]:
        renditions = wide_image.whole_renditions(image_format)
        assert [r.width for r in renditions] == [400, 800, 1200, 1600]
        for rendition in renditions:
            picture = opened(rendition.file)
            assert picture.format == pillow_format
            assert picture.size == (rendition.width, rendition.height)
            # The shape of the original, to the pixel.
            assert rendition.height == round(900 * rendition.width / 1700)
            assert_no_metadata(rendition.file)


@pytest.mark.parametrize(
    ("size", "widths"),
    [((900, 600), [400, 800, 900]), ((800, 500), [400, 800]), ((300, 200), [300])],
)
def test_renditions_are_never_wider_than_the_original(make_image, size, widths):
    image = make_image(file=image_file(size))
    assert whole(image, "jpeg") == whole(image, "webp") == widths
    for rendition in image.renditions.all():
        assert opened(rendition.file).width <= size[0]


@pytest.mark.parametrize(
    ("image_format", "mode", "color", "fallback"),
    [
        ("PNG", "RGBA", (30, 110, 140, 128), "png"),
        ("GIF", "P", 3, "png"),
        ("PNG", "RGB", (30, 110, 140), "jpeg"),
        ("WEBP", "RGB", (30, 110, 140), "jpeg"),
    ],
    ids=["transparent-png", "gif", "opaque-png", "webp"],
)
def test_fallback_is_png_only_for_transparency_and_gifs(
    make_image, image_format, mode, color, fallback
):
    image = make_image(file=image_file((500, 300), image_format, mode, color))
    assert image.fallback_format == fallback
    assert whole(image, fallback) == whole(image, "webp") == [400, 500]
    if image_format == "PNG" and mode == "RGBA":
        # The see-through parts stay see-through in both formats.
        for rendition in image.whole_renditions("png") + image.whole_renditions("webp"):
            assert opened(rendition.file).getchannel("A").getextrema() == (128, 128)


def test_phone_photo_is_turned_upright_and_stored_without_metadata(make_image):
    image = make_image(file=ContentFile(phone_photo(), name="IMG_0001.jpg"))
    assert (image.width, image.height) == (40, 60)
    original = opened(image.file)
    assert original.format == "JPEG"
    assert original.size == (40, 60)
    # The red corner was top left as stored; turned clockwise, it is top right.
    assert original.getpixel((35, 3))[0] > 200
    assert original.getpixel((3, 3))[0] < 100
    assert_no_metadata(image.file)
    assert image.renditions.count() == 5  # 40 px in two formats, three crops.
    for rendition in image.renditions.all():
        assert_no_metadata(rendition.file)
    for rendition in image.whole_renditions("jpeg") + image.whole_renditions("webp"):
        assert opened(rendition.file).size == (40, 60)


def test_colour_profile_is_kept_and_an_animation_keeps_its_first_frame(make_image):
    # The ICC profile only describes colours; dropping it would dull phone photos.
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    PILImage.new("RGB", (30, 20), (200, 10, 10)).save(
        buffer, "JPEG", icc_profile=profile
    )
    image = make_image(file=ContentFile(buffer.getvalue(), name="p3.jpg"))
    for field_file in [image.file, *(r.file for r in image.renditions.all())]:
        assert opened(field_file).info["icc_profile"] == profile
    frames = [PILImage.new("RGB", (30, 20), c) for c in ["red", "green", "blue"]]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], comment=b"Home"
    )
    animated = make_image(file=ContentFile(buffer.getvalue(), name="a.gif"))
    original = opened(animated.file)
    # Pages show only the first frame, so only that one is stored.
    assert getattr(original, "n_frames", 1) == 1 and "comment" not in original.info
    assert original.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_crops_have_the_right_aspect_ratios(wide_image):
    sizes = {}
    for ratio in ["16:9", "4:3", "1:1"]:
        crop = wide_image.crop(ratio)
        assert opened(crop.file).format == "JPEG"
        assert opened(crop.file).size == (crop.width, crop.height)
        assert crop.url == crop.file.url
        sizes[ratio] = (crop.width, crop.height)
    # About 1200 wide; the square is only as big as the original is tall.
    assert sizes == {"16:9": (1200, 675), "4:3": (1200, 900), "1:1": (900, 900)}


def test_crops_of_a_small_image_are_not_enlarged(make_image):
    image = make_image(file=image_file((320, 200)))
    assert (image.crop("16:9").width, image.crop("16:9").height) == (320, 180)
    assert (image.crop("4:3").width, image.crop("4:3").height) == (266, 200)
    assert (image.crop("1:1").width, image.crop("1:1").height) == (200, 200)
    with pytest.raises(ValueError, match="3:2"):
        image.crop("3:2")


def test_replacing_the_file_replaces_the_renditions(
    make_image, django_capture_on_commit_callbacks
):
    image = make_image(file=image_file((900, 600)))
    old_files = [image.file.name, *(r.file.name for r in image.renditions.all())]
    with django_capture_on_commit_callbacks(execute=True):
        image.file = image_file((500, 300))
        image.save()
    assert whole(image, "jpeg") == [400, 500]
    assert Rendition.objects.filter(image=image).count() == 7
    assert not any(default_storage.exists(name) for name in old_files)


def test_deleting_an_image_deletes_its_files(
    wide_image, django_capture_on_commit_callbacks
):
    names = [wide_image.file.name, *(r.file.name for r in wide_image.renditions.all())]
    assert len(names) == 12 and all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        wide_image.delete()
    assert not Rendition.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_make_renditions_fixes_images_stored_before_renditions(
    make_image, django_capture_on_commit_callbacks
):
    clean = make_image(file=image_file((500, 300)))
    old = make_image()
    # As an upload from before this feature: EXIF kept, sideways, no renditions.
    legacy_name = default_storage.save("images/legacy.jpg", ContentFile(phone_photo()))
    Image.objects.filter(pk=old.pk).update(file=legacy_name, width=60, height=40)
    Rendition.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=io.StringIO())
    old.refresh_from_db()
    assert (old.width, old.height) == (40, 60)
    assert_no_metadata(old.file)
    assert not default_storage.exists(legacy_name)
    assert whole(old, "webp") == [40]
    clean.refresh_from_db()
    assert whole(clean, "webp") == [400, 500]


def test_make_renditions_moves_files_stored_under_upload_names_and_ids(
    client, make_article, django_capture_on_commit_callbacks
):
    """An image as stored before names were random: the original under its
    upload's name, the renditions in a folder named by the image's id."""
    content = image_file((900, 600), "PNG").read()
    upload_name = default_storage.save(
        "images/2026/05/mum-at-home.png", ContentFile(content)
    )
    image = Image.objects.create(
        file=image_file((900, 600), "PNG"), alt_text="Soft shapes", credit="Us"
    )
    Image.objects.filter(pk=image.pk).update(
        file=upload_name, original_filename="mum-at-home.png"
    )
    for rendition in image.renditions.all():
        with default_storage.open(rendition.file.name) as made:
            by_id = default_storage.save(
                f"renditions/{image.pk}/{rendition.width}w-{rendition.format}", made
            )
        Rendition.objects.filter(pk=rendition.pk).update(file=by_id)
    article = make_article(featured_image=image)
    old_files = [upload_name, *(r.file.name for r in Rendition.objects.all())]
    # After the upgrade, before the command: the page still shows the picture.
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/media/renditions/{image.pk}/" in page

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=io.StringIO())

    image.refresh_from_db()
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.png", image.file.name)
    with image.file.open("rb") as moved:  # Moved as it was, not encoded again.
        assert moved.read() == content
    assert image.original_filename == "mum-at-home.png"
    assert not any(default_storage.exists(name) for name in old_files)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/media/renditions/{image.pk}/" not in page
    for rendition in image.renditions.all():
        assert rendition.url in page or rendition.ratio
        assert default_storage.exists(rendition.file.name)


def test_a_file_saved_straight_to_storage_is_cleaned_too(
    client, make_article, django_capture_on_commit_callbacks
):
    """``image.file.save(name, content)``, as scripts and importers store
    images, stores the file before the image's own save() sees it."""
    image = Image(alt_text="A nurse at a desk", credit="Depositphotos / pressmaster")
    with django_capture_on_commit_callbacks(execute=True):
        image.file.save("IMG_0001.jpg", ContentFile(phone_photo()))
    image.refresh_from_db()
    assert_no_metadata(image.file)
    assert (image.width, image.height) == (40, 60)
    assert image.original_filename == "IMG_0001.jpg"
    assert not list(Path(default_storage.path("")).rglob("IMG_0001*"))
    assert image.renditions.count() == 5
    for rendition in image.renditions.all():
        assert_no_metadata(rendition.file)
    article = make_article(featured_image=image)
    [img] = img_tags(client.get(article.get_absolute_url()).content.decode())
    assert f'src="{image.whole_renditions("jpeg")[-1].url}"' in img


@pytest.fixture
def article_with_wide_image(make_article, wide_image):
    return make_article(featured_image=wide_image)


def img_tags(html):
    return re.findall(r"<img\b[^>]*>", html)


def test_article_page_srcset_lists_every_rendition(client, article_with_wide_image):
    image = article_with_wide_image.featured_image
    html = client.get(article_with_wide_image.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="featured-image">') :]
    figure = figure[: figure.index("</figure>")]
    for rendition in image.renditions.filter(ratio=""):
        assert f"{rendition.url} {rendition.width}w" in figure
    assert f'<source type="image/webp" srcset="{image.srcset("webp")}"' in figure
    [img] = img_tags(figure)
    assert f'srcset="{image.srcset("jpeg")}"' in img
    assert 'sizes="' in img
    assert 'width="1700" height="900"' in img
    assert 'fetchpriority="high"' in img
    assert "loading=" not in img
    assert f'src="{image.whole_renditions("jpeg")[-1].url}"' in img
    assert 'alt="A nurse talks with a patient in a clinic room"' in img


def test_home_cards_are_lazy_with_srcset(client, article_with_wide_image):
    image = article_with_wide_image.featured_image
    html = client.get(reverse("articles:list")).content.decode()
    assert f'<source type="image/webp" srcset="{image.srcset("webp")}"' in html
    [img] = [tag for tag in img_tags(html) if "card-image" in tag]
    assert f'srcset="{image.srcset("jpeg")}"' in img
    assert 'width="1700" height="900"' in img
    assert 'loading="lazy"' in img
    assert "fetchpriority" not in img


def test_decorative_image_has_empty_alt(client, make_article, make_image):
    image = make_image(is_decorative=True, alt_text="", caption="Soft shapes")
    article = make_article(featured_image=image)
    for url in [article.get_absolute_url(), reverse("articles:list")]:
        [img] = img_tags(client.get(url).content.decode())
        assert 'alt=""' in img


def test_image_without_renditions_falls_back_to_the_original(
    client, make_article, make_image
):
    article = make_article(featured_image=make_image())
    Rendition.objects.all().delete()
    html = client.get(article.get_absolute_url()).content.decode()
    [img] = img_tags(html)
    assert f'src="{article.featured_image.file.url}"' in img
    assert "<picture>" not in html and "srcset" not in img
    assert 'width="64" height="48"' in img
