"""A trigram index over the transcripts' text: a quoted phrase is then looked up in the index instead
of read for in every transcript that holds its words.

PostgreSQL: pg_trgm's GIN index. SQLite (3.34 or newer): an FTS5 table with the trigram tokenizer over
the transcripts' own rows (external content, positions left out: a LIKE on it checks each candidate
against the text), kept current by triggers.
"""

from django.db import migrations

SQLITE_TABLE = "episodes_transcript_trigrams"
SQLITE_TRIGGERS = {
    "inserted": f"""AFTER INSERT ON episodes_transcript BEGIN
        INSERT INTO {SQLITE_TABLE} (rowid, source) VALUES (new.id, new.source);
    END""",
    "deleted": f"""AFTER DELETE ON episodes_transcript BEGIN
        INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, source) VALUES ('delete', old.id, old.source);
    END""",
    "changed": f"""AFTER UPDATE OF source ON episodes_transcript BEGIN
        INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, source) VALUES ('delete', old.id, old.source);
        INSERT INTO {SQLITE_TABLE} (rowid, source) VALUES (new.id, new.source);
    END""",
}


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX episodes_transcript_source_trigrams ON episodes_transcript"
            " USING gin (source gin_trgm_ops)"
        )
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(source, content = 'episodes_transcript',"
        " content_rowid = 'id', tokenize = 'trigram', detail = 'none')"
    )
    for name, body in SQLITE_TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {SQLITE_TABLE}_{name} {body}")
    schema_editor.execute(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('rebuild')")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS episodes_transcript_source_trigrams")
        return
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_{name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0016_air_dates"),
    ]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
