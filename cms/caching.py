"""Whole-page caching for the public, correct the moment anything changes.

Every cached page is keyed by the content's version: a random stamp that
database triggers renew on every write to a content table (whoever writes:
a save in any process, a bulk update, the importer, raw SQL), together with
the latest publication time that has passed (it moves when a scheduled
episode's time comes). Reading the version is one tiny query, so the next
request after any change builds fresh pages, whichever process made the
change and whatever cache each process has (Redis, or one local memory per
worker). The same version makes the ETag, so readers and CDNs revalidate
for the cost of that query. It is the one query a cached page costs, asked
on nearly every request, so on PostgreSQL it is prepared once per connection
(`version_cursor`).

A page's key names its version, so a copy kept in a worker's own memory can
never be stale: with Redis, the hottest pages are also kept in each worker
(the `local` cache) and served without a round trip.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

VERSION_TABLE = "cms_content_version"

VERSION_SQL = f"""
SELECT
    (SELECT stamp FROM {VERSION_TABLE}),
    (SELECT MAX(published_at) FROM episodes_episode WHERE status = 'published' AND published_at <= %s)
"""


def content_version():
    """The content's version now: the stamp and the latest publication time that has passed."""
    with version_cursor() as cursor:
        cursor.execute(VERSION_SQL, [timezone.now()])
        return "|".join(str(value) for value in cursor.fetchone())


def version_cursor():
    """A cursor for the version query, which nearly every request asks: made to cost as little as it can.

    Django binds parameters into the SQL text on the client, so PostgreSQL
    parses and plans every query anew, and psycopg reads results as text: for
    this tiny query, most of its cost at both ends of the connection. On
    PostgreSQL it runs instead on a psycopg cursor that binds parameters on the
    server and reads binary results; psycopg prepares the query once it has run
    `prepare_threshold` times on a connection (settings.py), and from then on
    PostgreSQL only executes the stored plan. The cursor is made and wrapped
    the way `connection.cursor()` makes and wraps Django's own, so errors, query
    logging and query counts are those of any other query.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    import psycopg

    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    cursor = psycopg.Cursor(db.connection)
    cursor.format = psycopg.pq.Format.BINARY
    return db.make_debug_cursor(cursor) if db.queries_logged else db.make_cursor(cursor)


def create_version_table(schema_editor):
    schema_editor.execute(
        f"CREATE TABLE {VERSION_TABLE} (id integer PRIMARY KEY, stamp varchar(32) NOT NULL)"
    )
    if schema_editor.connection.vendor == "postgresql":
        # One function renews the stamp; an upsert, so a flushed table starts again by itself.
        schema_editor.execute(
            f"CREATE FUNCTION {VERSION_TABLE}_renew() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN INSERT INTO {VERSION_TABLE} (id, stamp) VALUES (1, md5(random()::text || clock_timestamp()))"
            " ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp; RETURN NULL; END $$"
        )


def drop_version_table(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION {VERSION_TABLE}_renew() CASCADE")
    else:
        for table in content_tables():
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_renews_version")
    schema_editor.execute(f"DROP TABLE {VERSION_TABLE}")


# Tables whose writes alone change no public page. The search index is written only alongside
# the content it is derived from (and SQLite's FTS5 table cannot carry triggers). Readers'
# corrections are shown only once accepted, which writes the transcript: a reader sending
# one must not empty every cached page.
UNVERSIONED_TABLES = {"episodes_search", "episodes_correction"}


def content_tables():
    """The tables whose rows make up public pages: those of the column and episodes apps, and tags."""
    from django.apps import apps

    return sorted(
        model._meta.db_table
        for label in ("column", "episodes", "taggit")
        for model in apps.get_app_config(label).get_models()
        if model._meta.db_table not in UNVERSIONED_TABLES
    )


def install_version_triggers(using="default", **kwargs):
    """Make every content table renew the version on any write; run after each migrate.

    After, not in, a migration: SQLite rebuilds a table to alter a column and
    drops its triggers with it, and a content model added later needs them too.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        for table in content_tables():
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {table}_renews_version"
                    f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {VERSION_TABLE}_renew()"
                )
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_renews_version AFTER {event} ON {table}"
                    f" BEGIN INSERT OR REPLACE INTO {VERSION_TABLE} (id, stamp) VALUES (1, hex(randomblob(16))); END"
                )


def page_caches():
    """The caches that hold pages, nearest first: the worker's own, then the shared one."""
    return [caches[alias] for alias in ("local", "default") if alias in settings.CACHES]


def cached_page(key):
    nearer = []
    for page_cache in page_caches():
        response = page_cache.get(f"page:{key}")
        if response is not None:
            for near_cache in nearer:
                near_cache.set(f"page:{key}", response, settings.PAGE_CACHE_SECONDS)
            return response
        nearer.append(page_cache)
    return None


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the cache, with ETags."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        key = hashlib.sha256(
            f"{version}|{request.LANGUAGE_CODE}|{request.get_full_path()}".encode()
        ).hexdigest()
        etag = f'"{key[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        response = cached_page(key)
        if response is None:
            response = self.get_response(request)
            if not self.cacheable_response(response):
                return response
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_SECONDS)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            if hasattr(response, "render"):
                response.render()
            # Written piece by piece (as feeds are), a response would be stored and sent in thousands of chunks.
            response.content = response.content
            for page_cache in page_caches():
                page_cache.set(f"page:{key}", response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(("/" + settings.ADMIN_URL, *settings.UNCACHED_PATH_PREFIXES))
            and not request.user.is_authenticated
        )

    @staticmethod
    def cacheable_response(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-cache" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        )
