"""The content's version, which keys every cached page: one small query a request.

Database triggers renew a random stamp on every write to a content table
(whoever writes: a save in any process, a bulk update, the importer, raw
SQL). Content that becomes public at a set time, with no write at all, is
followed too: an app names it with `follow_schedule`, and the latest such
moment that has passed is part of the version. So the next request after
any change builds fresh pages, whichever process made the change.
"""

import datetime
import functools

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from pagecache.models import ContentVersion

_schedules = []
# Stands for "now" in the version query, compiled once; replaced by the moment of each request.
_NOW = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def follow_schedule(moments_passed):
    """Make content that turns public at a moment of its own change the version when that moment comes.

    `moments_passed(now)` returns a queryset of one column, the moments that
    have passed by `now`, latest first (`Episode.objects.public(now)...`).
    """
    _schedules.append(moments_passed)
    _version_query.cache_clear()


def content_version():
    """The content's version now: the stamp, and the latest scheduled moment that has passed."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, params, now_at = _version_query(connection.vendor)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [now if index in now_at else value for index, value in enumerate(params)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return "|".join(str(value) for value in cursor.fetchone())


@functools.cache
def _version_query(vendor):
    """The version query's SQL, compiled from the models once per process, and where "now" goes in it."""
    connection = connections[DEFAULT_DB_ALIAS]
    parts = [ContentVersion.objects.order_by().values("stamp")[:1]]
    parts += [moments_passed(_NOW)[:1] for moments_passed in _schedules]
    sql, params = [], []
    for part in parts:
        part_sql, part_params = part.query.sql_with_params()
        sql.append(f"({part_sql})")
        params += part_params
    placeholder = connection.ops.adapt_datetimefield_value(_NOW)
    now_at = frozenset(index for index, value in enumerate(params) if value == placeholder)
    return f"SELECT {', '.join(sql)}", tuple(params), now_at


def content_tables():
    """The tables whose rows make up public pages (settings.PAGE_CACHE_CONTENT_APPS), less those ignored."""
    ignored = {label.lower() for label in settings.PAGE_CACHE_IGNORED_MODELS}
    return sorted(
        model._meta.db_table
        for app_label in settings.PAGE_CACHE_CONTENT_APPS
        for model in apps.get_app_config(app_label).get_models()
        if model._meta.label_lower not in ignored and model._meta.managed
    )


def install_version_triggers(using=DEFAULT_DB_ALIAS, **kwargs):
    """Make every content table renew the version on any write; run after each migrate.

    After, not in, a migration: SQLite rebuilds a table to alter a column and
    drops its triggers with it, and a content model added later needs them too.
    """
    connection = connections[using]
    version_table = ContentVersion._meta.db_table
    with connection.cursor() as cursor:
        for table in content_tables():
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {table}_renews_version"
                    f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {version_table}_renew()"
                )
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_renews_version AFTER {event} ON {table}"
                    f" BEGIN INSERT OR REPLACE INTO {version_table} (id, stamp) VALUES (1, hex(randomblob(16))); END"
                )
