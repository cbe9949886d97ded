"""Snapshots of the whole site, and bringing one back into an empty database.

A snapshot is a folder named by the UTC time it was taken:

    manifest.json  when, from which database, the schema's migrations, the rows of each model
                   and the SHA-256 of every other file
    data.json      every table in the format of `dumpdata`, primary keys kept, times to the microsecond
    wiki/          the Wiki.js export of all content
    media/         the uploaded files, read through the storage API (local disk or S3 alike)

Keys are kept as they are, content types and permissions included: a
revision stores the rows it saved with their keys (tags name their episode
by content type and id), so old revisions stay true only if a restore
brings back the very same keys.

The dump, the export and the counts describe one moment, however editors go
on saving meanwhile: on PostgreSQL they are read in one read-only
REPEATABLE READ transaction; on SQLite from a private copy that SQLite's
online backup takes in one step, without holding up writers.
"""

import hashlib
import json
import posixpath
import shutil
import sqlite3
import tempfile
from contextlib import closing, contextmanager
from datetime import UTC, datetime, time
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from episodes.models import SearchEntry
from episodes.roles import ROLE_PERMISSIONS
from episodes.search import rebuild_index
from wikijs.exporter import export_tree

SNAPSHOT_FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.json"
WIKI = "wiki"
MEDIA = "media"

# Login sessions, the records that throttle logins and the page cache's version belong to the running
# site, not to its content.
UNSAVED_APPS = {"sessions", "axes", "pagecache"}


class SnapshotError(Exception):
    """A snapshot cannot be written or brought back; the message says why."""


def saved_models():
    """Every model whose table migrate makes, but the running site's own and the search index (rebuilt)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in UNSAVED_APPS
        and model is not SearchEntry
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in saved_models()}


def code_migrations():
    """The latest migration of each app in this code, as `app.migration`."""
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    return sorted(f"{app}.{name}" for app, name in leaves)


def file_checksums(root):
    """The SHA-256 of every file under `root` but the manifest, by path relative to `root`."""
    checksums = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name != MANIFEST:
            with path.open("rb") as content:
                checksums[name] = hashlib.file_digest(content, "sha256").hexdigest()
    return checksums


def stored_files(storage, folder=""):
    """The name of every file in `storage` under `folder`."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT that nothing was ever uploaded to
        return
    for name in files:
        yield posixpath.join(folder, name)
    for subfolder in folders:
        yield from stored_files(storage, posixpath.join(folder, subfolder))


# Writing a snapshot


def write_snapshot(directory):
    """Write a snapshot of the site into a new folder under `directory`; return its path and manifest."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    taken_at = datetime.now(UTC)
    target = directory / taken_at.strftime("%Y%m%dT%H%M%SZ")
    if target.exists():
        raise SnapshotError(f"{target} already exists.")
    # Written aside and moved into place whole: an interrupted backup never looks like a snapshot.
    with tempfile.TemporaryDirectory(dir=directory, prefix=".incomplete-") as work:
        snapshot = Path(work) / "snapshot"
        # The dump holds password hashes: for its owner's eyes only.
        snapshot.mkdir(mode=0o700)
        with unchanging_database(Path(work) / "database.sqlite3"):
            if unapplied := unapplied_migrations():
                raise SnapshotError(
                    f"The database lacks migrations ({', '.join(unapplied)}): run migrate first."
                )
            counts = row_counts()
            dump_rows(snapshot / DATA)
            export_tree(snapshot / WIKI)
        # Copied after the data: Django never deletes an upload when its record changes,
        # so every file the dump names is still there, and one uploaded since does no harm.
        copy_media(snapshot / MEDIA)
        manifest = {
            "format": SNAPSHOT_FORMAT,
            "taken_at": taken_at.isoformat(),
            "database": connection.vendor,
            "migrations": code_migrations(),
            "counts": counts,
            "files": file_checksums(snapshot),
        }
        (snapshot / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        snapshot.rename(target)
    return target, manifest


@contextmanager
def unchanging_database(sqlite_copy_path):
    """Read the database as it stood at one moment while others go on writing to it."""
    if connection.vendor == "sqlite":
        with private_sqlite_copy(sqlite_copy_path):
            yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The transaction's first statement, so that every read in it sees the same moment.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@contextmanager
def private_sqlite_copy(path):
    """Point the connection at a copy of the SQLite database taken in one step."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        # All pages in one step read one snapshot; in WAL mode writers carry on meanwhile.
        connection.connection.backup(copy)
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep the microseconds it would cut to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def dump_rows(path):
    """Write every row as `dumpdata --all` would, but with whole times (which loaddata reads as well)."""
    rows = (row for model in saved_models() for row in model._base_manager.order_by("pk").iterator())
    with path.open("w", encoding="utf-8") as stream:
        serializers.serialize("json", rows, stream=stream, cls=FullPrecisionEncoder)


def unapplied_migrations():
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def copy_media(target):
    for name in stored_files(default_storage):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as copy:
            shutil.copyfileobj(source, copy)


# Bringing a snapshot back


def restore_snapshot(snapshot):
    """Bring `snapshot` back into the empty database and storage; return its manifest and the episodes indexed.

    Everything is checked before anything changes; after migrate, the data,
    the search index and the media files arrive together or not at all.
    """
    snapshot = Path(snapshot)
    manifest = read_snapshot(snapshot)
    if rows := rows_in_the_way():
        held = ", ".join(f"{label} ({count})" for label, count in rows.items())
        raise SnapshotError(
            f"The database already holds content: {held}. A restore only fills an empty database;"
            " point DATABASE_URL at a new one, or empty this one with `manage.py flush`."
        )
    if clashes := media_in_the_way(manifest):
        raise SnapshotError(
            "The storage already holds other files under the snapshot's names: " + ", ".join(clashes)
        )
    call_command("migrate", interactive=False, verbosity=0)
    indexed = load_snapshot(snapshot, manifest)
    for cache in caches.all():
        cache.clear()
    return manifest, indexed


def read_snapshot(snapshot):
    """The manifest of a whole, undamaged snapshot of this code's schema; SnapshotError otherwise."""
    if not snapshot.is_dir():
        raise SnapshotError(f"{snapshot}: no such folder.")
    try:
        manifest = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
        listed, snapshot_migrations = manifest["files"], manifest["migrations"]
        snapshot_format = manifest["format"]
    except FileNotFoundError:
        raise SnapshotError(f"{snapshot}: no {MANIFEST}; not a snapshot, or one never finished.") from None
    except (ValueError, KeyError, TypeError) as error:
        raise SnapshotError(f"{snapshot / MANIFEST} is unreadable ({error!r}).") from None
    if snapshot_format != SNAPSHOT_FORMAT:
        raise SnapshotError(f"{snapshot} is in format {snapshot_format}; this code reads {SNAPSHOT_FORMAT}.")
    found = file_checksums(snapshot)
    problems = [f"missing {name}" for name in sorted((listed.keys() | {DATA}) - found.keys())]
    problems += [
        f"damaged {name}" for name in sorted(listed) if name in found and found[name] != listed[name]
    ]
    problems += [f"not in the manifest: {name}" for name in sorted(found.keys() - listed.keys())]
    if problems:
        raise SnapshotError(f"{snapshot} is incomplete or damaged: " + "; ".join(problems))
    if snapshot_migrations != code_migrations():
        differing = sorted(set(snapshot_migrations) ^ set(code_migrations()))
        raise SnapshotError(
            f"{snapshot} was taken at other migrations than this code has ({', '.join(differing)}):"
            " restore it with the code that took it, then migrate."
        )
    return manifest


def rows_in_the_way():
    """What the database holds besides the rows migrate makes by itself: {model label: rows}."""
    tables = set(connection.introspection.table_names())
    found = {}
    for model in saved_models():
        if model in (ContentType, Permission) or model._meta.db_table not in tables:
            continue
        rows = model._base_manager.all()
        if model is Group:
            rows = rows.exclude(name__in=ROLE_PERMISSIONS)
        if count := rows.count():
            found[model._meta.label] = count
    return found


def snapshot_media(manifest):
    """{storage name: checksum} of the snapshot's media files."""
    prefix = f"{MEDIA}/"
    return {
        name.removeprefix(prefix): checksum
        for name, checksum in manifest["files"].items()
        if name.startswith(prefix)
    }


def media_in_the_way(manifest):
    clashes = []
    for name, checksum in snapshot_media(manifest).items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as content:
                if hashlib.file_digest(content, "sha256").hexdigest() != checksum:
                    clashes.append(name)
    return clashes


def load_snapshot(snapshot, manifest):
    """Load the data, index it and store the media files in one transaction; return the episodes indexed."""
    try:
        with files_removed_on_failure() as stored, transaction.atomic():
            # The snapshot's own content types, permissions and role groups replace those migrate made.
            ContentType.objects.all().delete()
            Group.objects.all().delete()
            call_command("loaddata", str((snapshot / DATA).resolve()), verbosity=0)
            # Content types are cached by id, and the ids have just changed.
            ContentType.objects.clear_cache()
            if row_counts() != manifest["counts"]:
                raise SnapshotError(f"{snapshot / DATA} does not hold the rows its manifest counts.")
            indexed = rebuild_index()
            for name in snapshot_media(manifest):
                if not default_storage.exists(name):  # else the very same file, as checked before
                    with (snapshot / MEDIA / name).open("rb") as content:
                        stored.append(default_storage.save(name, File(content)))
    except (DatabaseError, DeserializationError) as error:
        raise SnapshotError(f"{snapshot / DATA} could not be loaded, so nothing was: {error}") from error
    return indexed


@contextmanager
def files_removed_on_failure():
    """A list for the names of stored files, which are deleted again if the block fails."""
    stored = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
