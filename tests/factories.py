"""A small helper to build episodes the way editors do, one call per case."""

from datetime import timedelta

from django.utils import timezone

from column.models import Column
from episodes.models import Embed, Episode, Tab, Transcript

BILIBILI = "https://www.bilibili.com/video/BV1nezJYfEPc/"
YOUTUBE = "https://www.youtube.com/watch?v=mxm7Vf6YPjo"


def make_column(slug="business", name="产经破壁机", **fields):
    return Column.objects.create(slug=slug, name=name, **fields)


def make_episode(
    column,
    number,
    *,
    status=Episode.Status.PUBLISHED,
    published_at=None,
    title=None,
    tabs=(("B站", BILIBILI),),
    transcript="正文",
    tags=(),
    **fields,
):
    if status == Episode.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(days=1)
    episode = Episode.objects.create(
        column=column,
        number=number,
        slug=fields.pop("slug", str(number)),
        title=title or f"【{column.name}{number:03}】第{number}期",
        status=status,
        published_at=published_at,
        **fields,
    )
    for position, (label, url) in enumerate(tabs):
        tab = Tab.objects.create(episode=episode, label=label, position=position)
        if url:
            Embed.objects.create(tab=tab, url=url)
    Transcript.objects.create(episode=episode, source=transcript)
    if tags:
        episode.tags.set(tags)
    return episode


def formset_management(prefix, total, initial=0):
    """The management form an admin inline posts with its rows."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
