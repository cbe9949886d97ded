"""The content version table, and the function that renews its stamp on PostgreSQL.

The triggers that call it are installed after every migrate
(`pagecache.version.install_version_triggers`). Databases made before this
app had the table as `cms_content_version`, made by episodes 0009: it goes,
with its triggers, and the new table takes its place.
"""

from django.db import migrations, models

OLD_TABLE = "cms_content_version"
TABLE = "pagecache_contentversion"


def create_renew_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # An upsert, so a flushed table starts again by itself.
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {TABLE}_renew() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN INSERT INTO {TABLE} (id, stamp) VALUES (1, md5(random()::text || clock_timestamp()))"
            " ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp; RETURN NULL; END $$"
        )


def drop_renew_function(apps, schema_editor):
    drop_version_triggers(schema_editor, TABLE)


def drop_old_version_table(apps, schema_editor):
    drop_version_triggers(schema_editor, OLD_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")


def drop_version_triggers(schema_editor, table):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_renew() CASCADE")
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_renews_version'"
        )
        triggers = [name for (name,) in cursor.fetchall()]
    for trigger in triggers:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("episodes", "0009_content_version")]

    operations = [
        migrations.RunPython(drop_old_version_table, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stamp", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_renew_function, drop_renew_function),
    ]
