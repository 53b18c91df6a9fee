from django.db import migrations, models
from django.utils import timezone


def modified_at():
    return models.DateTimeField(auto_now=True, default=timezone.now)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_roles")]

    operations = [
        migrations.AddField(
            model_name=model, name="modified_at", field=modified_at(), preserve_default=False
        )
        for model in ("author", "image", "tag", "topic")
    ]
