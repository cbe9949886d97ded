from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.snapshots import MEDIA, WIKI, SnapshotError, write_snapshot


class Command(BaseCommand):
    help = (
        "Write a snapshot of the site (database, Wiki.js export, media files), consistent while"
        " editors save, into a new folder under DIRECTORY named by the time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", type=Path, default=settings.BASE_DIR / "backups", help="default: backups/"
        )

    def handle(self, directory, **options):
        try:
            snapshot, manifest = write_snapshot(directory)
        except SnapshotError as error:
            raise CommandError(error) from error
        files = manifest["files"]
        self.stdout.write(
            f"wrote {snapshot}: {sum(manifest['counts'].values())} rows"
            f" ({manifest['counts']['episodes.Episode']} episodes),"
            f" {sum(name.startswith(f'{WIKI}/') for name in files)} wiki pages,"
            f" {sum(name.startswith(f'{MEDIA}/') for name in files)} media files"
        )
