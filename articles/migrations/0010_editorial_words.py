"""One word for each thing: the expiry time (not "unpublish time", which is the
Unpublish move's word), Transition.moved_at, and the log's record of an article
switched off and on as medical content."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_pending_change")]

    operations = [
        migrations.RenameField("transition", "at", "moved_at"),
        migrations.AlterModelOptions(
            name="transition",
            options={"ordering": ["-moved_at", "-pk"]},
        ),
        migrations.AlterField(
            model_name="article",
            name="expire_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Optional. At this time the article leaves every page, "
                "feed and sitemap by itself.",
                null=True,
                verbose_name="expiry time",
            ),
        ),
        migrations.AlterField(
            model_name="transition",
            name="move",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submit", "Submit for review"),
                    ("approve", "Approve"),
                    ("send_back", "Send back"),
                    ("publish", "Publish"),
                    ("unpublish", "Unpublish"),
                    ("re_review", "Medical review recorded"),
                    ("restore", "Older version restored"),
                    ("recover", "Restored after deletion"),
                    ("changed_after_approval", "Changed after approval"),
                    ("hold_change", "Medical change held for review"),
                    ("approve_change", "Change approved"),
                    ("send_back_change", "Change sent back"),
                    ("publish_change", "Change published"),
                    ("discard_change", "Change discarded"),
                    ("medical_off", "No longer medical content"),
                    ("medical_on", "Medical content again"),
                ],
                max_length=30,
            ),
        ),
    ]
