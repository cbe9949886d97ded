"""On PostgreSQL, a trigram index over the transcripts' text: a quoted phrase is then looked up in
the index instead of read for in every transcript that holds its words. SQLite has no such index."""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX episodes_transcript_source_trigrams ON episodes_transcript USING gin (source gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS episodes_transcript_source_trigrams")


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0016_air_dates"),
    ]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
