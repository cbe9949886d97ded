from datetime import timedelta

import pytest
from django.utils import timezone

from column.models import ColumnNotice, Page
from episodes.models import Episode, Warning
from tests.factories import make_episode

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"status": Episode.Status.DRAFT},
    "in review": {"status": Episode.Status.REVIEW},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
}


@pytest.fixture
def episode(column):
    episode = make_episode(
        column,
        51,
        title="【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？",
        tabs=[("B站", "https://www.bilibili.com/video/BV1nezJYfEPc/"), ("YouTube", "mxm7Vf6YPjo")],
        transcript="<font color=indigo>主持人</font>：商汤科技曾经号称中国最强“独角兽”。",
        tags=["人工智能"],
    )
    Warning.objects.create(
        episode=episode, kind="warning", text="以下文本为音频转录结果，存在一定错误，校对正在进行中。"
    )
    return episode


def test_episode_page_shows_title_players_warning_and_transcript(client, episode):
    response = client.get("/business/51/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？ · 产经破壁机</title>" in html
    assert 'role="tablist"' in html
    assert html.count('role="tab"') == 2
    assert html.count('role="tabpanel"') == 2
    assert 'src="https://player.bilibili.com/player.html?bvid=BV1nezJYfEPc&amp;page=1' in html
    assert 'src="https://www.youtube-nocookie.com/embed/mxm7Vf6YPjo"' in html
    assert html.count('loading="lazy"') == 2
    assert '<blockquote class="is-warning">' in html
    assert '<span class="ink-indigo">主持人</span>' in html
    assert 'href="/tags/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD/"' in html
    assert '<html lang="zh-Hans">' in html


def test_tab_without_a_player_is_left_off_the_page(client, column):
    make_episode(column, 1, tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "")])

    html = client.get("/business/1/").content.decode()

    assert html.count('role="tab"') == 1
    assert "YouTube" not in html


def test_podcast_tab_plays_in_an_audio_element(client, column):
    make_episode(column, 1, tabs=[("播客", "https://media.example.org/1.mp3")])

    html = client.get("/business/1/").content.decode()

    assert (
        '<audio class="audio-player" controls preload="none" src="https://media.example.org/1.mp3" data-offset="0">'
        in html
    )
    assert "<iframe" not in html


def test_episode_page_links_previous_and_next_public_episodes(client, column):
    make_episode(column, 1)
    make_episode(column, 2, status=Episode.Status.DRAFT)
    make_episode(column, 3)
    make_episode(column, 4, published_at=timezone.now() + timedelta(hours=1))

    html = client.get("/business/3/").content.decode()

    assert 'rel="prev" href="/business/1/"' in html
    assert 'rel="next"' not in html
    assert "/business/2/" not in html
    assert "/business/4/" not in html


def test_home_lists_columns_and_latest_public_episodes(client, episode, column):
    make_episode(column, 52, status=Episode.Status.DRAFT, title="【产经破壁机052】草稿标题")

    html = client.get("/").content.decode()

    assert 'href="/business/"' in html
    assert "从“不差钱”到大换血，商汤科技怎么了？" in html
    assert "草稿标题" not in html


def test_column_page_groups_by_tens_with_notices(client, column):
    ColumnNotice.objects.create(column=column, kind="info", text="【产经破壁机】为音频转录。")
    for number in (9, 10, 11, 0):
        make_episode(column, number, title=f"【产经破壁机{number:03}】标题{number}")
    make_episode(column, 12, status=Episode.Status.DRAFT, title="【产经破壁机012】草稿标题")

    response = client.get("/business/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<blockquote class="is-info">' in html
    assert html.index(">11 - 20<") < html.index("标题11") < html.index(">1 - 10<") < html.index("标题10")
    assert html.index("标题10") < html.index("标题9")
    assert "草稿标题" not in html
    # The specials are one step away, on a shelf of their own.
    specials = client.get("/business/", {"range": "specials"}).content.decode()
    assert ">未编号<" in specials and "标题0" in specials and "标题9" not in specials


def test_tag_page_lists_public_episodes_with_that_tag(client, column):
    make_episode(column, 1, title="【产经破壁机001】芯片一", tags=["芯片"])
    make_episode(column, 2, title="【产经破壁机002】芯片草稿", tags=["芯片"], status=Episode.Status.DRAFT)
    make_episode(column, 3, title="【产经破壁机003】别的", tags=["光伏"])

    response = client.get("/tags/芯片/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "芯片一" in html
    assert "芯片草稿" not in html
    assert "别的" not in html


def test_tag_with_only_hidden_episodes_is_not_found(client, column):
    make_episode(column, 1, tags=["草稿标签"], status=Episode.Status.DRAFT)

    assert client.get("/tags/草稿标签/").status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_episode_answers_404_and_appears_nowhere(client, column, state):
    make_episode(column, 1, title="【产经破壁机001】公开的一期", tags=["共同标签"])
    make_episode(column, 2, title="【产经破壁机002】隐藏的一期", tags=["共同标签"], **HIDDEN_STATES[state])

    assert client.get("/business/2/").status_code == 404
    for url in ["/", "/business/", "/tags/共同标签/", "/business/1/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "隐藏的一期" not in response.content.decode(), url


def test_unpublished_episode_disappears(client, column):
    episode = make_episode(column, 1)
    assert client.get("/business/1/").status_code == 200

    episode.unpublish()

    assert client.get("/business/1/").status_code == 404


def test_unknown_column_and_episode_answer_404(client, episode):
    assert client.get("/nowhere/").status_code == 404
    assert client.get("/nowhere/51/").status_code == 404
    assert client.get("/business/999/").status_code == 404


def test_episode_page_query_count_does_not_grow_with_tabs_and_tags(client, column, django_assert_num_queries):
    make_episode(
        column,
        1,
        tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "mxm7Vf6YPjo"), ("播客", "https://m.example.org/1.mp3")],
        tags=["一", "二", "三", "四"],
    )

    # The content version, the column list, the episode, its tags, warnings and tabs, its revisions'
    # authors (the credits), previous, next, the site pages the footer links, and for the navigation
    # the column's ranges and the episodes of the episode's range.
    with django_assert_num_queries(12):
        assert client.get("/business/1/").status_code == 200
    # Served from the cache: only the content version is asked.
    with django_assert_num_queries(1):
        assert client.get("/business/1/").status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_address_that_leads_nowhere_gets_the_sites_own_404(client, column, language):
    make_episode(column, 1)
    client.cookies["django_language"] = language

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'role="search"' in html and f'href="/{column.slug}/"' in html
    assert ("Page not found" if language == "en" else "找不到这个页面") in html


def test_the_tag_index_lists_every_public_tag_with_its_count(client, column):
    make_episode(column, 1, tags=["芯片", "光伏"])
    make_episode(column, 2, tags=["芯片"])
    make_episode(column, 3, tags=["草稿标签"], status=Episode.Status.DRAFT)

    html = client.get("/tags/").content.decode()

    assert html.index("#芯片") < html.index("#光伏")
    assert '#芯片 <span class="tag-count">2</span>' in html
    assert "草稿标签" not in html


def test_an_episode_without_a_transcript_says_so_under_no_warning(client, column):
    column.default_warning = "以下文本为机器转录。"
    column.save()
    make_episode(column, 1, transcript="")

    html = client.get("/business/1/").content.decode()

    assert "这期节目还没有文稿。" in html and "到B站观看视频" in html
    assert "以下文本为机器转录。" not in html


def test_the_footer_links_the_tag_index_the_feed_and_the_published_site_pages(client, column):
    Page.objects.create(path="status", title="当前进度", body="进度")
    Page.objects.create(path="drafts", title="未公开的页面", body="草稿", is_published=False)

    html = client.get("/").content.decode()
    footer = html.split('class="site-footer"')[1]

    assert 'href="/tags/"' in footer and 'href="/feeds/rss/"' in footer
    assert '<a href="/status/">当前进度</a>' in footer
    assert "未公开的页面" not in footer
