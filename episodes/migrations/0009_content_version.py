"""The content version that keys the public page cache (cms/caching.py), renewed by triggers."""

from django.db import migrations

from cms.caching import (
    add_version_triggers,
    create_version_table,
    drop_version_table,
    remove_version_triggers,
)

CONTENT_TABLES = [
    "column_column",
    "column_columnnotice",
    "column_page",
    "episodes_episode",
    "episodes_tab",
    "episodes_embed",
    "episodes_warning",
    "episodes_transcript",
    "taggit_tag",
    "taggit_taggeditem",
]


def create(apps, schema_editor):
    create_version_table(schema_editor)
    for table in CONTENT_TABLES:
        add_version_triggers(schema_editor, table)


def drop(apps, schema_editor):
    for table in CONTENT_TABLES:
        remove_version_triggers(schema_editor, table)
    drop_version_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0008_updated_at_index"),
        ("column", "0006_updated_at_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create, drop)]
