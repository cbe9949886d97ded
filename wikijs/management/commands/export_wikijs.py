from pathlib import Path

from django.core.management.base import BaseCommand

from wikijs.exporter import export_tree
from wikijs.git_export import export_git


class Command(BaseCommand):
    help = "Write columns, site pages and episodes as a Wiki.js tree under OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)
        parser.add_argument(
            "--git",
            action="store_true",
            help="keep OUTDIR as a git repository: one commit per revision since the last export",
        )

    def handle(self, outdir, git, **options):
        if git:
            commits = export_git(outdir)
            self.stdout.write(f"made {commits} commits in {outdir}")
            return
        written = export_tree(outdir)
        self.stdout.write(f"wrote {written} pages to {outdir}")
