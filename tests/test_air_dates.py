"""Episodes carry the date they were broadcast, read from the best evidence, and are listed by it."""

from datetime import date

import feedparser
import pytest

from episodes.models import Episode
from tests.factories import make_episode
from tests.wikijs_trees import BILIBILI_TAB, page, run_import, write_tree

TABSET = "# Tabs {.tabset}\n" + BILIBILI_TAB.format(bvid="BV1nezJYfEPc") + "\n#\n\n"
Source = Episode.AirDateSource


@pytest.fixture
def archive(tmp_path, db):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "main.md": page("睡前消息"),
            # FRONT's dateCreated is 2024-11-30 for every page: the guess, when nothing better is said.
            "main/577.md": page(
                "【睡前消息577】标题", TABSET + "大家好，2023年4月16日星期日，欢迎收看。\n\n正文"
            ),
            "main/578.md": page(
                "【睡前消息578】标题", TABSET + "<font color=indigo>主持人：</font>今天是2023年 4月 20日。\n"
            ),
            "main/579.md": page(
                "【睡前消息579】标题", TABSET + "开场白说了很久很久。" * 20 + "\n\n2023年5月1日的新闻。\n"
            ),
            "daily.md": page("睡前每日新闻"),
            "daily/2023/10/30.md": page("每日新闻", TABSET + "正文"),
            "daily/2023/08/31.md": page("每日新闻", TABSET + "正文"),
            "daily/2023/07/31.md": page("每日新闻", TABSET + "正文"),
            "daily/2022/11/29.md": page("每日新闻", TABSET + "正文"),
        },
    )
    status, output, _ = run_import(tree)
    assert status == 0, output
    return tree


def aired(legacy_path):
    episode = Episode.objects.get(legacy_path=legacy_path)
    return episode.aired_on, episode.aired_on_source


def test_the_air_date_comes_from_the_path_then_the_transcripts_opening_then_a_guess(archive):
    assert aired("daily/2023/10/30") == (date(2023, 10, 30), Source.PATH)
    assert aired("main/577") == (date(2023, 4, 16), Source.TRANSCRIPT)
    assert aired("main/578") == (date(2023, 4, 20), Source.TRANSCRIPT)
    # A date further into the text is a date the episode talks about, not its own.
    assert aired("main/579") == (date(2024, 11, 30), Source.GUESSED)


def test_a_dated_column_is_listed_by_date_and_grouped_by_month(client, archive):
    html = client.get("/daily/").content.decode()

    order = [html.index(f'href="/daily/{slug}/"') for slug in ("2023-10-30", "2023-08-31", "2023-07-31")]
    assert order == sorted(order)
    groups = [html.index(f">{label}</h2>") for label in ("2023年10月", "2023年8月", "2023年7月")]
    assert groups == sorted(groups)
    # One year at a time, the others one step away.
    assert "/daily/2022-11-29/" not in html and 'href="?range=2022"' in html
    assert ">2022年11月</h2>" in client.get("/daily/", {"range": "2022"}).content.decode()


def test_previous_and_next_follow_the_air_date_where_there_is_no_number(client, archive):
    html = client.get("/daily/2023-08-31/").content.decode()
    navigation = html.split('class="prev-next"')[1]

    assert 'href="/daily/2023-07-31/"' in navigation and 'href="/daily/2023-10-30/"' in navigation
    assert "2023年8月31日" in html  # the page shows the day it was broadcast


def test_the_feed_and_the_home_page_put_the_latest_broadcast_first(client, column):
    make_episode(column, 1, aired_on=date(2025, 3, 1))
    make_episode(column, 2, aired_on=date(2023, 1, 1))
    make_episode(column, 3, aired_on=date(2024, 6, 1))

    entries = feedparser.parse(client.get("/feeds/rss/").content).entries
    assert [entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in entries] == ["1", "3", "2"]
    assert entries[0].published_parsed[:3] == (2025, 3, 1)
    home = client.get("/").content.decode()
    assert (
        home.index('href="/business/1/"')
        < home.index('href="/business/3/"')
        < home.index('href="/business/2/"')
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert sitemap.index("/business/1/<") < sitemap.index("/business/3/<") < sitemap.index("/business/2/<")


def test_editors_find_the_guesses_and_their_correction_survives_a_reimport(admin_client, archive):
    guessed = admin_client.get("/admin/episodes/episode/", {"aired": "guessed"}).content.decode()
    assert "【睡前消息579】" in guessed and "【睡前消息577】" not in guessed

    episode = Episode.objects.get(legacy_path="main/579")
    episode.aired_on, episode.aired_on_source = date(2023, 5, 2), Source.EDITOR
    episode.save()
    (archive / "main/579.md").write_text(page("【睡前消息579】改过的标题", TABSET + "正文"), encoding="utf-8")
    run_import(archive, "--overwrite")

    assert aired("main/579") == (date(2023, 5, 2), Source.EDITOR)


def test_an_episode_leads_back_to_the_range_that_lists_it(client, archive):
    daily = client.get("/daily/2022-11-29/").content.decode()
    assert '<a href="/daily/?range=2022">睡前每日新闻</a>' in daily
    numbered = client.get("/main/577/").content.decode()
    assert '<a href="/main/?range=501-600">睡前消息</a>' in numbered
