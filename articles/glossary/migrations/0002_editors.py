"""Editors keep the glossary; authors and medical reviewers do not.

The Editors group is made by articles' migration 0006_roles.
"""

from django.db import migrations

EDITORS = "Editors"
CODENAMES = [
    "add_term",
    "change_term",
    "delete_term",
    "view_term",
    "add_source",
    "change_source",
    "delete_source",
    "view_source",
]


def give_editors_the_glossary(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run; the
    # group needs them now.
    app_config = apps.get_app_config("glossary")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    permissions = Permission.objects.filter(
        content_type__app_label="glossary", codename__in=CODENAMES
    )
    assert permissions.count() == len(CODENAMES)
    group.permissions.add(*permissions)


def take_the_glossary_from_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORS).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="glossary", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_initial"),
        ("articles", "0006_roles"),
    ]

    operations = [
        migrations.RunPython(give_editors_the_glossary, take_the_glossary_from_editors)
    ]
