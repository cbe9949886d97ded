"""Keep the search index current with what is saved, whoever saves it."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from episodes import search
from episodes.models import Episode, Transcript


@receiver(post_save, sender=Episode, dispatch_uid="episodes.index_episode")
def index_saved_episode(sender, instance, raw=False, **kwargs):
    if not raw:
        search.schedule_index(instance.pk)


@receiver(post_save, sender=Transcript, dispatch_uid="episodes.index_transcript")
def index_saved_transcript(sender, instance, raw=False, **kwargs):
    if not raw:
        search.schedule_index(instance.episode_id)


@receiver(m2m_changed, sender=Episode.tags.through, dispatch_uid="episodes.index_tags")
def index_retagged_episode(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Episode):
        search.schedule_index(instance.pk)


@receiver(post_delete, sender=Episode, dispatch_uid="episodes.unindex_episode")
def unindex_deleted_episode(sender, instance, **kwargs):
    search.remove_episode(instance.pk)
