from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.snapshots import SnapshotError, restore_snapshot


class Command(BaseCommand):
    help = (
        "Bring a snapshot written by `backup` back into an empty database: migrate, load the data,"
        " rebuild the search index, restore the media files, clear the cache. Changes nothing if the"
        " snapshot is incomplete or damaged, or the database already holds content."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "snapshot", type=Path, help="a snapshot's folder, such as backups/20260101T000000Z"
        )

    def handle(self, snapshot, **options):
        try:
            manifest, indexed = restore_snapshot(snapshot)
        except SnapshotError as error:
            raise CommandError(error) from error
        self.stdout.write(
            f"restored {sum(manifest['counts'].values())} rows from {snapshot}"
            f" (taken {manifest['taken_at']} on {manifest['database']}), indexed {indexed} episodes"
        )
