"""A database made by the previous layout (the page cache's version table in `episodes`) migrates forward whole."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from episodes.models import Episode
from pagecache.version import content_version, install_version_triggers

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE_THE_MOVE = [
    ("column", "0008_column_shows_corrections_log"),
    ("episodes", "0012_readers_corrections"),
    ("pagecache", None),
]


def old_version_table():
    """The version table and its triggers as the previous layout's episodes 0009 made them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE cms_content_version (id integer PRIMARY KEY, stamp varchar(32) NOT NULL)"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION cms_content_version_renew() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN INSERT INTO cms_content_version (id, stamp) VALUES (1, md5(random()::text))"
                " ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp; RETURN NULL; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER episodes_episode_renews_version AFTER INSERT OR UPDATE OR DELETE"
                " ON episodes_episode FOR EACH STATEMENT EXECUTE FUNCTION cms_content_version_renew()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER episodes_episode_update_renews_version AFTER UPDATE ON episodes_episode"
                " BEGIN INSERT OR REPLACE INTO cms_content_version (id, stamp) VALUES (1, hex(randomblob(16))); END"
            )


def test_content_of_the_previous_layout_survives_and_the_cache_follows_writes_again():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_THE_MOVE)
    try:
        old_version_table()
        old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE[:2]).apps
        column = old.get_model("column", "Column").objects.create(slug="business", name="产经破壁机")
        episode = old.get_model("episodes", "Episode").objects.create(
            column=column, number=1, slug="1", title="【产经破壁机001】旧库里的一期", status="draft"
        )
        old.get_model("episodes", "Transcript").objects.create(episode=episode, source="旧库里的文稿")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        install_version_triggers()

    kept = Episode.objects.select_related("transcript").get()
    assert (kept.title, kept.transcript.source) == ("【产经破壁机001】旧库里的一期", "旧库里的文稿")
    assert "cms_content_version" not in connection.introspection.table_names()
    before = content_version()
    Episode.objects.filter(pk=kept.pk).update(title="改过")
    assert content_version() != before
