"""The body's reading grade, stored beside the rendered body for the admin's
filter. Existing articles get theirs after migrating, when the bodies an older
articles.body rendered are rendered again (articles.signals)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0018_feed_guid'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='reading_grade',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
    ]
