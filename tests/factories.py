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
    if published_at is not None:
        # As publishing does, until an editor says otherwise.
        fields.setdefault("aired_on", timezone.localdate(published_at))
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


def episode_form(column, **overrides):
    """What the admin's add form posts for a complete episode, with `overrides` by field name."""
    data = {
        "column": column.pk,
        "number": "51",
        "slug": "",
        "title": "【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？",
        "description": "商汤科技调整组织架构。",
        "tags": "人工智能, 商汤",
        "status": "published",
        "published_at_0": "2024-11-30",
        "published_at_1": "19:34:46",
        **formset_management("tabs", 2),
        "tabs-0-label": "B站",
        "tabs-0-url": "//player.bilibili.com/player.html?&bvid=BV1nezJYfEPc&page=1&as_wide=1",
        "tabs-0-position": "0",
        "tabs-1-label": "YouTube",
        "tabs-1-url": "https://youtu.be/mxm7Vf6YPjo",
        "tabs-1-position": "1",
        **formset_management("warnings", 1),
        "warnings-0-kind": "warning",
        "warnings-0-text": "本期提到的数据截至 2024 年 6 月。",
        "warnings-0-position": "0",
        **formset_management("transcript", 1),
        "transcript-0-status": "machine",
        "transcript-0-source": "<font color=indigo>主持人</font>：公司裁员不可怕。",
    }
    data.update(overrides)
    return data
