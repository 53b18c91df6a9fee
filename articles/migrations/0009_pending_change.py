"""Changes held for review on live articles, what each workflow move was, and
one-line titles."""

import articles.models.articles
import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (from, to) -> the move that makes it, for log lines written before moves
# were recorded by name.
MOVES = {
    ("draft", "in_review"): "submit",
    ("unpublished", "in_review"): "submit",
    ("in_review", "approved"): "approve",
    ("in_review", "draft"): "send_back",
    ("approved", "draft"): "send_back",
    ("published", "unpublished"): "unpublish",
    ("published", "published"): "re_review",
    ("draft", "draft"): "recover",
}


def name_old_moves(apps, schema_editor):
    Transition = apps.get_model("articles", "Transition")
    for (from_status, to_status), move in MOVES.items():
        Transition.objects.filter(
            from_status=from_status, to_status=to_status, move=""
        ).update(move=move)
    Transition.objects.filter(to_status="published", move="").exclude(
        from_status="published"
    ).update(move="publish")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_image_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='transition',
            name='move',
            field=models.CharField(blank=True, choices=[('submit', 'Submit for review'), ('approve', 'Approve'), ('send_back', 'Send back'), ('publish', 'Publish'), ('unpublish', 'Unpublish'), ('re_review', 'Medical review recorded'), ('restore', 'Older version restored'), ('recover', 'Restored after deletion'), ('changed_after_approval', 'Changed after approval'), ('hold_change', 'Medical change held for review'), ('approve_change', 'Change approved'), ('send_back_change', 'Change sent back'), ('publish_change', 'Change published'), ('discard_change', 'Change discarded')], max_length=30),
        ),
        migrations.AlterField(
            model_name='article',
            name='title',
            field=models.CharField(max_length=200, validators=[articles.models.articles.validate_single_line]),
        ),
        migrations.CreateModel(
            name='PendingChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('in_review', 'In review'), ('approved', 'Approved'), ('sent_back', 'Sent back')], default='in_review', max_length=20)),
                ('content', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('note', models.CharField(blank=True, help_text='Shown with the “Updated” date once the change is published.', max_length=300, verbose_name='what changed, for readers')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('modified_at', models.DateTimeField(auto_now=True)),
                ('reviewed_on', models.DateField(blank=True, null=True)),
                ('next_review_on', models.DateField(blank=True, null=True)),
                ('review_comment', models.TextField(blank=True)),
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pending_change', to='articles.article')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('review_recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.author')),
            ],
        ),
        migrations.RunPython(name_old_moves, migrations.RunPython.noop),
    ]
