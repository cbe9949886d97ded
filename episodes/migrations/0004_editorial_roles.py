from django.db import migrations

from episodes.roles import EDITOR, PROOFREADER, PUBLISHER


def create_role_groups(apps, schema_editor):
    # Their permissions are set after every migrate (episodes.roles.sync_role_permissions).
    Group = apps.get_model("auth", "Group")
    for name in (EDITOR, PROOFREADER, PUBLISHER):
        Group.objects.get_or_create(name=name)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PROOFREADER, PUBLISHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("episodes", "0003_alter_episode_options"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
