"""The three editorial roles, as groups with their model permissions.

The admin enforces each role's limits beyond these flags (own drafts only for
authors, the workflow moves each role may make); see articles/admin/workflow.py.
"""

from django.db import migrations

CRUD = ("add", "change", "delete", "view")
ROLES = {
    "Authors": {
        "article": ("add", "change", "view", "submit"),
        "reference": CRUD,
        "image": ("add", "change", "view"),
        "topic": ("view",),
        "tag": ("view",),
        "author": ("view",),
    },
    "Medical reviewers": {
        "article": ("view", "review"),
        "reference": ("view",),
        "image": ("view",),
        "topic": ("view",),
        "tag": ("view",),
        "author": ("view",),
        "medicalreview": ("add", "view"),
    },
    "Editors": {
        "article": (*CRUD, "submit", "publish"),
        "reference": CRUD,
        "image": CRUD,
        "topic": CRUD,
        "tag": CRUD,
        "author": CRUD,
        "medicalreview": ("view",),
        "changenote": CRUD,
        "transition": ("view",),
    },
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [
            f"{action}_{model}" for model, actions in models.items() for action in actions
        ]
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        assert permissions.count() == len(codenames), set(codenames) - set(
            permissions.values_list("codename", flat=True)
        )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
