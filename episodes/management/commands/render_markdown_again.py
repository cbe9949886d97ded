from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from column.models import StoresRenderedMarkdown
from episodes.models import Tab, Transcript
from episodes.search import indexing_deferred


class Command(BaseCommand):
    help = (
        "Render every stored markdown text again (transcripts, warnings, tab notices, columns, site pages), "
        "after an upgrade that changes what the pipeline writes."
    )

    def handle(self, *args, **options):
        rendered = [model for model in apps.get_models() if issubclass(model, StoresRenderedMarkdown)]
        total = 0
        with transaction.atomic(), indexing_deferred():
            for model in rendered:
                for item in model.objects.iterator():
                    item.save(update_fields=list(item.rendered_fields))
                    total += 1
            for transcript in Transcript.objects.select_related("episode").iterator():
                transcript.save(update_fields=["source"])
                total += 1
            for tab in Tab.objects.iterator():
                tab.save(update_fields=["notice", "notice_html"])
                total += 1
        self.stdout.write(f"rendered {total} texts again")
