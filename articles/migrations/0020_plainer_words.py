"""A first list of words with a plainer alternative, for editors to change.

Mostly words of three or more syllables, which raise the reading grade most,
and a few phrases that say in several words what one says.
"""

from django.db import migrations, models

WORDS = {
    "accompany": "go with",
    "additional": "more, extra",
    "administer": "give",
    "alleviate": "ease",
    "approximately": "about",
    "assistance": "help",
    "commence": "start",
    "consequently": "so",
    "demonstrate": "show",
    "discontinue": "stop",
    "endeavour": "try",
    "facilitate": "help",
    "frequently": "often",
    "in order to": "to",
    "in the event that": "if",
    "indicate": "show, suggest",
    "individual": "person",
    "modify": "change",
    "numerous": "many",
    "obtain": "get",
    "optimal": "best",
    "physician": "doctor",
    "prior to": "before",
    "purchase": "buy",
    "require": "need",
    "subsequently": "later, then",
    "sufficient": "enough",
    "terminate": "end, stop",
    "utilise": "use",
    "utilize": "use",
}


def add_words(apps, schema_editor):
    PlainerWord = apps.get_model("articles", "PlainerWord")
    for word, plainer in WORDS.items():
        PlainerWord.objects.get_or_create(word=word, defaults={"plainer": plainer})


def remove_words(apps, schema_editor):
    apps.get_model("articles", "PlainerWord").objects.filter(word__in=WORDS).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_reading_grade")]

    operations = [
        migrations.CreateModel(
            name='PlainerWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(help_text='A word or short phrase readers may stumble on, e.g. “utilise” or “prior to”. Its -s, -ed and -ing forms are found too, in any case.', max_length=100, unique=True)),
                ('plainer', models.CharField(help_text='What to write instead, e.g. “use” or “before”.', max_length=100, verbose_name='plainer alternative')),
            ],
            options={
                'ordering': ['word'],
            },
        ),
        migrations.RunPython(add_words, remove_words),
    ]
