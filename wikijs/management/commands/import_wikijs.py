from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wikijs.importer import import_tree


class Command(BaseCommand):
    help = "Import a Wiki.js archive tree, or one file or folder within it. Exits 1 if any file failed."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive's root, or a file or folder inside it")
        parser.add_argument("--root", type=Path, help="the archive's root when PATH lies inside it")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
        parser.add_argument(
            "--overwrite", action="store_true", help="replace pages edited in the CMS since import"
        )
        parser.add_argument(
            "--no-history",
            dest="history",
            action="store_false",
            help="when the root is a git working tree, import the pages only, not their history",
        )

    def handle(self, path, root, dry_run, overwrite, history, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        root = root or (path if path.is_dir() else path.parent)
        report = import_tree(
            root,
            only=path,
            overwrite=overwrite,
            dry_run=dry_run,
            progress=self.progress_bar(),
            history=history,
        )
        for line in report.failures:
            self.stderr.write(f"failed: {line}")
        for line in report.conflicts:
            self.stdout.write(f"conflict: {line}")
        for line in report.warnings:
            self.stdout.write(f"warning: {line}")
        self.stdout.write(report.summary)
        if report.counts["failed"]:
            raise CommandError(f"{report.counts['failed']} files failed", returncode=1)

    def progress_bar(self):
        """A progress bar on a terminal, nothing elsewhere."""
        if not self.stderr.isatty():
            return None

        def show(done, total):
            filled = 30 * done // total
            self.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")
            self.stderr.flush()

        return show
