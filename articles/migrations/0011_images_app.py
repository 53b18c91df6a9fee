"""The image library is an app of its own now (articles.images, label images).

Its tables stay as they are: the articles' state forgets Image and Rendition,
which images' 0001 has taken over, and the featured image points there. Their
content types move with them, ids unchanged, so permissions, the roles that
hold them, admin log entries and stored revisions still find the images.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("image", "rendition")


def move_content_types(from_label, to_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MODELS:
            if not types.filter(app_label=from_label, model=model).exists():
                continue
            # An empty one that a "migrate" of the other app alone made on its
            # way out: the rows that matter point at the one being moved.
            stray = types.filter(app_label=to_label, model=model)
            Permission.objects.using(schema_editor.connection.alias).filter(
                content_type__in=stray
            ).delete()
            stray.delete()
            types.filter(app_label=from_label, model=model).update(
                app_label=to_label
            )

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_editorial_words"),
        ("images", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="featured_image",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Shown at the top of the article and in lists.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="images.image",
                    ),
                ),
                migrations.DeleteModel(name="Rendition"),
                migrations.DeleteModel(name="Image"),
            ]
        ),
        migrations.RunPython(
            move_content_types("articles", "images"),
            move_content_types("images", "articles"),
        ),
    ]
