"""Times at the start of transcript lines link to that moment of the video."""

import pytest
from django.urls import reverse

from column.models import Page
from episodes.models import Embed, Episode
from markup.render import render_markdown
from tests.factories import episode_form, make_episode
from tests.wikijs_trees import page, run_import, write_tree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "line, seconds, label",
    [
        ("[12:34] 主持人：你好", 754, "[12:34]"),
        ("[1:02:03] 第二段", 3723, "[1:02:03]"),
        ("12:34 没有括号也行", 754, "12:34"),
        ("  [0:05] 前面有空格", 5, "[0:05]"),
        ("[00:59] 最后一秒", 59, "[00:59]"),
    ],
)
def test_a_time_that_begins_a_line_becomes_a_link(line, seconds, label):
    html = render_markdown(f"上一行\n{line}", transcript=True)

    assert f'<a class="timestamp" data-seconds="{seconds}" href="at/{seconds}/"' in html
    assert f">{label}</a>" in html


@pytest.mark.parametrize(
    "line",
    [
        "说到 12:34 的时候",
        "12:34没有空格",
        "[12:60] 秒数不对",
        "[1:75:00] 分钟不对",
        "12:3 少一位",
        "    12:34 代码",
    ],
)
def test_other_times_stay_text(line):
    assert "timestamp" not in render_markdown(line, transcript=True)


def test_times_in_code_and_outside_transcripts_stay_text():
    assert "timestamp" not in render_markdown("```\n12:34 代码\n```", transcript=True)
    assert "timestamp" not in render_markdown("[12:34] 站点页面里的时间")


def test_the_episode_page_and_the_editors_preview_link_the_times(client, admin_client, column):
    make_episode(column, 1, transcript="[0:00] 开场\n[3:05] <font color=indigo>主持人</font>：正题")
    Page.objects.create(path="status", title="状态", body="12:30 不是文稿")

    page_html = client.get("/business/1/").content.decode()
    preview = admin_client.post(
        reverse("admin:episodes_episode_preview_markdown"), {"source": "[3:05] 预览里也是链接"}
    ).json()["html"]

    assert 'href="at/185/"' in page_html and 'data-seconds="185"' in page_html
    assert 'data-seek-parameter="t"' in page_html
    assert 'class="timestamp"' in preview
    assert "timestamp" not in client.get("/status/").content.decode()


@pytest.mark.parametrize(
    "tabs, offset, expected",
    [
        ([("B站", "BV1nezJYfEPc")], 0, "https://www.bilibili.com/video/BV1nezJYfEPc/?t=185"),
        ([("B站", "BV1nezJYfEPc")], 7, "https://www.bilibili.com/video/BV1nezJYfEPc/?t=192"),
        ([("YouTube", "mxm7Vf6YPjo")], -5, "https://www.youtube.com/watch?v=mxm7Vf6YPjo&t=180s"),
        ([("YouTube", "mxm7Vf6YPjo")], -500, "https://www.youtube.com/watch?v=mxm7Vf6YPjo&t=0s"),
        ([("播客", "https://media.example.org/1.mp3")], 10, "https://media.example.org/1.mp3#t=195"),
        (
            [("B站", None), ("YouTube", "mxm7Vf6YPjo")],
            0,
            "https://www.youtube.com/watch?v=mxm7Vf6YPjo&t=185s",
        ),
    ],
    ids=[
        "bilibili",
        "bilibili, later cut",
        "youtube, earlier cut",
        "never before 0",
        "podcast",
        "first player",
    ],
)
def test_without_script_a_time_opens_the_first_player_at_that_moment(client, column, tabs, offset, expected):
    make_episode(column, 1, tabs=tabs, transcript="[3:05] 正题")
    Embed.objects.update(offset_seconds=offset)

    response = client.get("/business/1/at/185/")

    assert response.status_code == 302 and response["Location"] == expected


def test_a_time_of_an_episode_without_players_leads_back_to_it(client, column):
    make_episode(column, 1, tabs=[], transcript="[3:05] 正题")

    assert client.get("/business/1/at/185/")["Location"] == "/business/1/"


def test_a_time_of_an_unpublished_episode_is_not_found(client, column):
    make_episode(column, 1, status=Episode.Status.DRAFT, transcript="[3:05] 草稿")

    assert client.get("/business/1/at/185/").status_code == 404


def test_the_admin_saves_a_players_offset(admin_client, column):

    admin_client.post(
        reverse("admin:episodes_episode_add"), episode_form(column, **{"tabs-0-offset_seconds": "12"})
    )

    assert dict(Embed.objects.values_list("tab__label", "offset_seconds")) == {"B站": 12, "YouTube": 0}


def test_the_import_keeps_timestamped_lines(client, tmp_path):
    body = "\n[0:00] 开场白\n[12:34] <font color=indigo>主持人</font>：正题\n"
    write_tree(tmp_path, {"business/1.md": page("【产经破壁机001】时间点", body)})

    run_import(tmp_path)

    html = client.get("/business/1/").content.decode()
    assert 'href="at/754/"' in html and 'href="at/0/"' in html
