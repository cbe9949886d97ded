from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from episodes.wikijs.importer import import_tree, terminal_progress


class Command(BaseCommand):
    help = "Import a Wiki.js archive tree, or one file or folder within it. Exits 1 if any file failed."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive's root, or a file or folder inside it")
        parser.add_argument("--root", type=Path, help="the archive's root when PATH lies inside it")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
        parser.add_argument(
            "--overwrite", action="store_true", help="replace pages edited in the CMS since import"
        )

    def handle(self, path, root, dry_run, overwrite, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        root = root or (path if path.is_dir() else path.parent)
        report = import_tree(
            root,
            only=path,
            overwrite=overwrite,
            dry_run=dry_run,
            progress=terminal_progress(self.stderr._out),
        )
        for line in report.failures:
            self.stderr.write(f"failed: {line}")
        for line in report.conflicts:
            self.stdout.write(f"conflict: {line}")
        for line in report.warnings:
            self.stdout.write(f"warning: {line}")
        self.stdout.write(report.summary)
        if report.counts["failed"]:
            raise SystemExit(1)
