import reversion
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from column.models import Column
from episodes import demo, search
from episodes.models import Correction, Embed, Episode, Tab, Transcript
from episodes.roles import EDITOR, PROOFREADER, PUBLISHER, ROLE_LABELS
from markup.transcripts import paragraph_key

# Known passwords are for a developer's machine only: they are made with DEBUG on, never otherwise.
DEMO_USERS = [("editor", EDITOR), ("proofreader", PROOFREADER), ("publisher", PUBLISHER)]


class Command(BaseCommand):
    help = "Load the made-up demo column and its episodes. Running it again restores them."

    @transaction.atomic
    def handle(self, *args, **options):
        column_data = dict(demo.COLUMN)
        notices = column_data.pop("notices")
        column, _ = Column.objects.update_or_create(slug=column_data.pop("slug"), defaults=column_data)
        column.notices.all().delete()
        for position, (kind, text) in enumerate(notices):
            column.notices.create(kind=kind, text=text, position=position)

        for data in demo.EPISODES:
            self.load_episode(column, dict(data))
        self.load_corrections(column)
        self.stdout.write(f"Demo column “{column.name}” has {column.episodes.count()} episodes.")
        if settings.DEBUG:
            self.load_users()

    def load_users(self):
        self.stdout.write("Demo logins for /admin/ (development only):")
        for username, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            password = f"{username}-demo"
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            self.stdout.write(f"  {ROLE_LABELS[role]:<4} {username} / {password}")

    def load_corrections(self, column):
        Correction.objects.filter(episode__column=column).delete()
        for data in demo.CORRECTIONS:
            data = dict(data)
            accepted = data["status"] == Correction.Status.ACCEPTED
            Correction.objects.create(
                episode=column.episodes.get(number=data.pop("episode")),
                paragraph_key=paragraph_key(data["original"]),
                address_hash="demo",
                reviewed_at=timezone.now() if accepted else None,
                **data,
            )

    @reversion.create_revision()
    @search.indexing_deferred()
    def load_episode(self, column, data):
        reversion.set_comment("载入示例内容")
        tabs = data.pop("tabs")
        warnings = data.pop("warnings")
        tags = data.pop("tags")
        transcript = {"source": data.pop("transcript"), "status": data.pop("transcript_status")}
        episode, _ = Episode.objects.update_or_create(column=column, slug=str(data["number"]), defaults=data)
        episode.tags.set(tags)
        episode.tabs.all().delete()
        for position, (label, url) in enumerate(tabs):
            tab = Tab.objects.create(episode=episode, label=label, position=position)
            if url:
                Embed.objects.create(tab=tab, url=url)
        episode.warnings.all().delete()
        for position, (kind, text) in enumerate(warnings):
            episode.warnings.create(kind=kind, text=text, position=position)
        Transcript.objects.update_or_create(episode=episode, defaults=transcript)
