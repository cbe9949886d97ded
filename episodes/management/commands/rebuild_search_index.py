from django.core.management.base import BaseCommand

from episodes.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every episode."

    def handle(self, *args, **options):
        self.stdout.write(f"indexed {rebuild_index()} episodes")
