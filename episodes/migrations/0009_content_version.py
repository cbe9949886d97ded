"""The content version that keys the public page cache (cms/caching.py).

The triggers that renew it are installed after every migrate, by
`cms.caching.install_version_triggers`.
"""

from django.db import migrations

from cms.caching import create_version_table, drop_version_table


def create(apps, schema_editor):
    create_version_table(schema_editor)


def drop(apps, schema_editor):
    drop_version_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0008_updated_at_index"),
        ("column", "0006_updated_at_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create, drop)]
