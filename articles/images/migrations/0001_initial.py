"""The image library's models, which the articles app made (0001, 0003, 0008).

The tables are there already and keep their names: this only tells Django that
the models now belong to this app. Articles' 0011 then drops them from its own
state and moves their content types here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import articles.images.models
import articles.images.uploads


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("articles", "0010_editorial_words"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Image",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "file",
                            models.ImageField(
                                height_field="height",
                                help_text="JPEG, PNG, WebP or GIF, at least 1200 × 675 pixels (1600 pixels wide or more looks sharpest). Location and camera details are removed when it is saved, and an animation keeps only its first frame.",
                                upload_to="images/%Y/%m/",
                                validators=[
                                    articles.images.uploads.validate_image_upload
                                ],
                                width_field="width",
                            ),
                        ),
                        (
                            "original_filename",
                            models.CharField(
                                blank=True,
                                editable=False,
                                help_text="The name of the file that was uploaded. It is stored under a random name, so nobody can guess its address.",
                                max_length=255,
                                verbose_name="uploaded as",
                            ),
                        ),
                        (
                            "alt_text",
                            models.CharField(
                                blank=True,
                                help_text="What the image shows, for people who cannot see it. Required unless the image is decorative.",
                                max_length=300,
                            ),
                        ),
                        (
                            "is_decorative",
                            models.BooleanField(
                                default=False,
                                help_text="Tick only if the image adds no information; screen readers will skip it.",
                                verbose_name="decorative",
                            ),
                        ),
                        ("caption", models.CharField(blank=True, max_length=300)),
                        (
                            "credit",
                            models.CharField(
                                blank=True,
                                help_text="Who made or sells the image, e.g. “Depositphotos / pressmaster”. Required unless it is our own image.",
                                max_length=200,
                            ),
                        ),
                        (
                            "is_own_image",
                            models.BooleanField(
                                db_default=False,
                                default=False,
                                help_text="Tick only if we made it ourselves (our photo or drawing): then it needs no credit.",
                                verbose_name="our own image",
                            ),
                        ),
                        (
                            "source_url",
                            models.URLField(blank=True, verbose_name="source URL"),
                        ),
                        (
                            "licence",
                            models.CharField(
                                blank=True,
                                help_text="E.g. “Standard licence” or “CC BY 4.0”.",
                                max_length=200,
                            ),
                        ),
                        (
                            "width",
                            models.PositiveIntegerField(editable=False, null=True),
                        ),
                        (
                            "height",
                            models.PositiveIntegerField(editable=False, null=True),
                        ),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        ("modified_at", models.DateTimeField(auto_now=True)),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_image",
                        "ordering": ["-uploaded_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Rendition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "ratio",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("", "Whole image"),
                                    ("16:9", "16:9 crop"),
                                    ("4:3", "4:3 crop"),
                                    ("1:1", "1:1 crop"),
                                ],
                                max_length=5,
                            ),
                        ),
                        (
                            "format",
                            models.CharField(
                                choices=[
                                    ("jpeg", "JPEG"),
                                    ("png", "PNG"),
                                    ("webp", "WebP"),
                                ],
                                max_length=4,
                            ),
                        ),
                        ("width", models.PositiveIntegerField()),
                        ("height", models.PositiveIntegerField()),
                        (
                            "file",
                            models.FileField(
                                max_length=255,
                                upload_to=articles.images.models.rendition_upload_to,
                            ),
                        ),
                        (
                            "image",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="renditions",
                                to="images.image",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_rendition",
                        "ordering": ["ratio", "format", "width"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("image", "ratio", "format", "width"),
                                name="unique_rendition_per_spec",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
