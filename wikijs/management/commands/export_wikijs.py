from pathlib import Path

from django.core.management.base import BaseCommand

from wikijs.exporter import export_tree


class Command(BaseCommand):
    help = "Write columns, site pages and episodes as a Wiki.js tree under OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)

    def handle(self, outdir, **options):
        written = export_tree(outdir)
        self.stdout.write(f"wrote {written} pages to {outdir}")
