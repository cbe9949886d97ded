from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from column.models import Column
from column.ranges import group_by_range
from episodes.models import Episode, Transcript
from markup.transcripts import paragraph_key
from tests.factories import make_column, make_episode

pytestmark = pytest.mark.django_db


def public_numbers():
    return sorted(Episode.objects.public().values_list("number", flat=True))


def test_public_contains_only_published_episodes_whose_time_has_come(column):
    make_episode(column, 1)
    make_episode(column, 2, status=Episode.Status.DRAFT)
    make_episode(column, 3, status=Episode.Status.REVIEW)
    make_episode(column, 4, published_at=timezone.now() + timedelta(hours=1))

    assert public_numbers() == [1]


def test_scheduled_episode_is_hidden_until_its_time(column):
    episode = make_episode(column, 7, status=Episode.Status.DRAFT)
    moment = timezone.now() + timedelta(days=2)

    episode.publish(at=moment)

    assert episode.is_scheduled
    assert public_numbers() == []
    with time_machine.travel(moment + timedelta(seconds=1)):
        assert public_numbers() == [7]
        assert Episode.objects.get(pk=episode.pk).is_public()


def test_publish_without_time_publishes_now_and_unpublish_returns_to_draft(column):
    episode = make_episode(column, 8, status=Episode.Status.DRAFT)

    episode.publish()
    assert public_numbers() == [8]

    episode.unpublish()
    episode.refresh_from_db()
    assert episode.status == Episode.Status.DRAFT
    assert episode.published_at is None
    assert public_numbers() == []


def test_published_episode_without_time_is_refused_by_the_database(column):
    with pytest.raises(IntegrityError):
        Episode.objects.create(column=column, number=1, slug="1", title="t", status=Episode.Status.PUBLISHED)


def test_slug_is_unique_within_a_column_only(column):
    other = make_column(slug="main", name="睡前消息")
    make_episode(column, 1)
    make_episode(other, 1)

    with pytest.raises(IntegrityError):
        make_episode(column, 1)


def test_clean_takes_the_slug_from_the_number_including_negative_numbers(column):
    episode = Episode(column=column, number=-1, title="【产经破壁机-001】龙舟比赛总伤亡")

    episode.full_clean()

    assert episode.slug == "-1"


def test_episode_without_number_needs_a_slug(column):
    episode = Episode(column=column, title="无期数的一期")

    with pytest.raises(ValidationError, match="网址名"):
        episode.full_clean()


def test_headline_drops_the_column_prefix(column):
    episode = make_episode(column, 51, title="【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？")

    assert episode.headline == "从“不差钱”到大换血，商汤科技怎么了？"
    assert str(episode) == episode.title


def test_transcript_is_rendered_once_on_save(column):
    episode = make_episode(column, 1, transcript="<font color=indigo>马督工</font>说")

    stored = Transcript.objects.get(episode=episode)

    key = paragraph_key("<font color=indigo>马督工</font>说")
    assert stored.html == f'<p data-paragraph="{key}"><span class="ink-indigo">马督工</span>说</p>'


def test_column_title_pattern_formats_new_titles_and_rejects_broken_patterns():
    column = Column(slug="business", name="产经破壁机", episode_title_pattern="【产经破壁机{number:03}】")
    assert column.format_episode_title(7) == "【产经破壁机007】"

    column.episode_title_pattern = "【产经破壁机{期数}】"
    with pytest.raises(ValidationError) as error:
        column.full_clean()
    assert "episode_title_pattern" in error.value.message_dict


@pytest.mark.parametrize("slug", ["admin", "search", "feeds", "language"])
def test_column_slug_cannot_take_a_path_the_site_uses(slug):
    with pytest.raises(ValidationError) as error:
        Column(slug=slug, name="x").full_clean()
    assert "slug" in error.value.message_dict


def test_public_episode_groups_follow_the_wiki_index(column):
    for number in (1, 10, 11, 20, 21, 0, -1):
        make_episode(column, number)
    make_episode(column, 22, status=Episode.Status.DRAFT)

    groups = [
        (label, [e.number for e in episodes]) for label, episodes in group_by_range(column.index_episodes())
    ]

    assert groups == [
        ("21 - 30", [21]),
        ("11 - 20", [20, 11]),
        ("1 - 10", [10, 1]),
        ("未编号", [0, -1]),
    ]


def test_markdown_saved_by_update_or_create_is_rendered_too(column):
    Column.objects.update_or_create(slug=column.slug, defaults={"about": "**新的**介绍"})

    assert Column.objects.get(pk=column.pk).about_html == "<p><strong>新的</strong>介绍</p>"
