"""How PostgreSQL keeps and reaches the search documents (SQLite's FTS5 table is left as it is).

A search matches through the GIN index, then ranks each match by reading its document. Two things
made that slow for a word found in most episodes:

- The planner, whose statistics say such a word is in nearly every document, read the whole table
  and evaluated the match on each document instead of asking the index, not counting that each
  document is fetched from out-of-line storage: every match was read twice, once to match and once
  to rank. Without statistics on the documents it takes the index for every search, which answers
  a match without reading a document. (Dropping the statistics takes an ALTER of the column's type:
  a statistics target of 0 only stops new ones from being gathered.) The price: the planner now
  guesses that any match finds one document in two hundred, and plans the rest of a search (the
  join to the episodes, a phrase's subquery) for that many; on an archive many times larger, look
  at the plans again.
- A document over 2 KB went out of line, to the TOAST table, from where each one read costs a lookup
  in its index and a read of its chunks. Stored MAIN, a document that fits in a page (a short
  transcript's) stays in the table's own row; longer ones still go out of line. The row size at
  which the toaster starts is raised to a page too, so that it no longer tries first to compress
  documents of 2 to 8 KB, which compress poorly.

The existing documents are written again so that they are stored the new way. The table is locked
while they are (a few seconds for 2,000 episodes): searches wait.
"""

from django.db import migrations

# The largest row a PostgreSQL page holds (PostgreSQL's largest toast_tuple_target).
PAGE_ROW = 8160


def on_postgresql(*statements):
    """A migration step that runs `statements` on PostgreSQL and nothing on SQLite."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


keep_documents_in_place = on_postgresql(
    "ALTER TABLE episodes_search ALTER COLUMN document SET STATISTICS 0",
    "ALTER TABLE episodes_search ALTER COLUMN document TYPE tsvector",
    "ALTER TABLE episodes_search ALTER COLUMN document SET STORAGE MAIN",
    f"ALTER TABLE episodes_search SET (toast_tuple_target = {PAGE_ROW})",
    # Concatenation makes a new value: an unchanged one would keep its out-of-line copy.
    "UPDATE episodes_search SET document = document || ''::tsvector",
)
store_documents_as_before = on_postgresql(
    "ALTER TABLE episodes_search ALTER COLUMN document SET STATISTICS -1",
    "ALTER TABLE episodes_search ALTER COLUMN document SET STORAGE EXTENDED",
    "ALTER TABLE episodes_search RESET (toast_tuple_target)",
    # The documents stay where they are until next written; the statistics come back now.
    "ANALYZE episodes_search",
)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0017_transcript_trigrams"),
    ]

    operations = [migrations.RunPython(keep_documents_in_place, store_documents_as_before)]
