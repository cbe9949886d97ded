"""What search puts first, query by query: the order a reader expects, in either script.

Each case names the episodes that must come first (in that order), those
that must be found, and those that must not. The archive is written for the
cases, in the shape of the real one: titles with the column's name and
number, descriptions, transcripts with speaker colours.
"""

import os
from collections import Counter
from datetime import timedelta

import pytest
import rjieba
from django.urls import reverse
from django.utils import timezone
from opencc import OpenCC

from column.models import Column
from episodes.models import Episode
from tests.factories import make_column, make_episode
from tests.wikijs_trees import SAMPLE, run_import

pytestmark = pytest.mark.django_db

FILLER = "今天我们聊一聊最近的新闻。"


@pytest.fixture
def archive():
    main = make_column(slug="main", name="睡前消息")
    business = make_column(slug="business", name="产经破壁机")
    reference = make_column(slug="reference", name="参考信息")
    start = timezone.now() - timedelta(days=3000)

    def episode(column, number, title, transcript=FILLER, description="", days=0):
        return make_episode(
            column,
            number,
            title=title,
            transcript=f"<font color=indigo>主持人：</font>{transcript}",
            description=description,
            published_at=start + timedelta(days=days or int(number)),
        )

    episode(main, 338, "【睡前消息338】房地产退潮之后，中国什么最贵？", "楼市的问题。")
    episode(main, 339, "【睡前消息339】地产商的冬天", "房地产" * 3 + "，房地产市场，房地产税。")
    episode(main, 340, "【睡前消息340】县城的房地产", "县城买房。")
    episode(main, 341, "【睡前消息341】养老金", "顺便说一句房地产。")
    episode(main, 342, "【睡前消息342】房价与地产", "房子和地产，还有一点房地产。", "房地产和房价")
    episode(main, 500, "【睡前消息500】五百期回顾", "第五百期。")
    episode(main, 501, "【睡前消息501】500亿的补贴", "补贴500亿。")
    episode(main, 100, "【睡前消息100】一百期", "第一百期。", days=5)
    episode(main, 102, "【睡前消息102】100个县", "100个县的调查。")
    episode(main, 881, "【睡前消息881】台积电去美国", "台积电的芯片工厂。台积电。")
    episode(main, 882, "【睡前消息882】芯片产业的下一步", "芯片产业很重要。")
    episode(main, 883, "【睡前消息883】产业政策与芯片", "产业政策。")
    episode(main, 884, "【睡前消息884】DeepSeek-R1 为什么便宜", "DeepSeek 的大模型。")
    episode(main, 885, "【睡前消息885】大模型价格战", "deepseek 降价以后，大模型都便宜了。")
    # The title's OpenAI holds ai, in other letters' case, where the index sees only the word openai
    # (PostgreSQL compares case as written; SQLite's LIKE never does for Latin letters).
    episode(main, 892, "【睡前消息892】OpenAI的对手", "AI 公司很多。")
    episode(main, 893, "【睡前消息893】模型公司", "AI，AI，还是AI。", "AI 产业")
    episode(main, 886, "【睡前消息886】数字经济", "数字经济是什么。")
    episode(main, 887, "【睡前消息887】数字与经济", "数字很多，经济很难。")
    episode(main, 888, "【睡前消息888】软件外包", "软件工程师。")
    episode(business, 51, "【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？", "商汤科技裁员了。")
    episode(business, 52, "【产经破壁机052】台积电的对手", "三星和台积电。")
    episode(business, 53, "【产经破壁机053】光伏产业", "光伏。", "光伏的产能")
    episode(reference, 273, "【参考信息273】美国大选", "选举。")
    episode(reference, 274, "【参考信息274】273个城市", "273个城市的房价。")
    # As alike as two episodes get: the newer comes first.
    episode(main, 890, "【睡前消息890】光伏过剩（上）", "光伏的过剩产能。", days=1500)
    episode(main, 891, "【睡前消息891】光伏过剩（下）", "光伏的过剩产能。", days=1400)


CASES = [
    # (query, first, found, not found)
    ("房地产", ["【睡前消息340】县城的房地产", "【睡前消息338】房地产退潮之后，中国什么最贵？"],
     ["【睡前消息339】地产商的冬天", "【睡前消息341】养老金"], ["【睡前消息500】五百期回顾"]),
    ("房地產", ["【睡前消息340】县城的房地产", "【睡前消息338】房地产退潮之后，中国什么最贵？"],
     ["【睡前消息339】地产商的冬天"], []),
    ("台积电", ["【产经破壁机052】台积电的对手", "【睡前消息881】台积电去美国"], [], ["【睡前消息882】芯片产业的下一步"]),
    ("台積電", ["【产经破壁机052】台积电的对手", "【睡前消息881】台积电去美国"], [], []),
    ("臺積電", ["【产经破壁机052】台积电的对手", "【睡前消息881】台积电去美国"], [], []),
    ("睡前消息500", ["【睡前消息500】五百期回顾"], [], []),
    ("500", ["【睡前消息500】五百期回顾"], ["【睡前消息501】500亿的补贴"], []),
    ("500期", ["【睡前消息500】五百期回顾"], [], []),
    ("100", ["【睡前消息100】一百期"], ["【睡前消息102】100个县"], []),
    ("睡前消息 100", ["【睡前消息100】一百期"], [], []),
    ("881", ["【睡前消息881】台积电去美国"], [], []),
    ("产经破壁机52", ["【产经破壁机052】台积电的对手"], [], []),
    ("52期", ["【产经破壁机052】台积电的对手"], [], []),
    ("881期", ["【睡前消息881】台积电去美国"], [], []),
    ("睡前消息881", ["【睡前消息881】台积电去美国"], [], []),
    ("睡前消息881期", ["【睡前消息881】台积电去美国"], [], []),
    ("参考信息 273", ["【参考信息273】美国大选"], ["【参考信息274】273个城市"], []),
    ("参考信息273", ["【参考信息273】美国大选"], [], []),
    ("273", ["【参考信息273】美国大选"], ["【参考信息274】273个城市"], []),
    ("芯片产业", ["【睡前消息882】芯片产业的下一步", "【睡前消息883】产业政策与芯片"], [], []),
    # Both titles hold the word; the transcript that holds it too comes first.
    ("芯片", ["【睡前消息882】芯片产业的下一步", "【睡前消息883】产业政策与芯片"],
     ["【睡前消息881】台积电去美国"], ["【睡前消息886】数字经济"]),
    ("晶片", ["【睡前消息882】芯片产业的下一步", "【睡前消息883】产业政策与芯片"], [], []),
    ("軟體", ["【睡前消息888】软件外包"], [], []),
    ("数字经济", ["【睡前消息886】数字经济", "【睡前消息887】数字与经济"], [], []),
    ('"数字经济"', ["【睡前消息886】数字经济"], [], ["【睡前消息887】数字与经济"]),
    ("“数字经济”", ["【睡前消息886】数字经济"], [], ["【睡前消息887】数字与经济"]),
    ("deepseek", ["【睡前消息884】DeepSeek-R1 为什么便宜"], ["【睡前消息885】大模型价格战"], []),
    ("DeepSeek", ["【睡前消息884】DeepSeek-R1 为什么便宜"], ["【睡前消息885】大模型价格战"], []),
    ("deeps", ["【睡前消息884】DeepSeek-R1 为什么便宜"], ["【睡前消息885】大模型价格战"], []),
    ("DEEPSEEK", ["【睡前消息884】DeepSeek-R1 为什么便宜"], ["【睡前消息885】大模型价格战"], []),
    ("ai", ["【睡前消息892】OpenAI的对手"], ["【睡前消息893】模型公司"], []),
    ("DeepSeek-R1", ["【睡前消息884】DeepSeek-R1 为什么便宜"], [], ["【睡前消息885】大模型价格战"]),
    ("DeepSeek 大模型", [], ["【睡前消息884】DeepSeek-R1 为什么便宜", "【睡前消息885】大模型价格战"], []),
    ("iPhone 15", [], [], ["【睡前消息500】五百期回顾"]),
    ("商汤", ["【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？"], [], []),
    ("商湯科技", ["【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？"], [], []),
    ("光伏", ["【产经破壁机053】光伏产业", "【睡前消息890】光伏过剩（上）", "【睡前消息891】光伏过剩（下）"], [], []),
    ("光伏过剩", ["【睡前消息890】光伏过剩（上）", "【睡前消息891】光伏过剩（下）"], [], ["【产经破壁机053】光伏产业"]),
    ("地产", [], ["【睡前消息342】房价与地产", "【睡前消息339】地产商的冬天", "【睡前消息340】县城的房地产"], []),
]  # fmt: skip


@pytest.mark.parametrize("query, first, found, absent", CASES, ids=[case[0] for case in CASES])
def test_search_puts_first_what_a_reader_asks_for(archive, query, first, found, absent):
    titles = list(Episode.objects.public().search(query).values_list("title", flat=True))

    assert titles[: len(first)] == first
    assert set(found) <= set(titles)
    assert not set(absent) & set(titles)


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize(
    "traditional, simplified", [("台積電", "台积电"), ("房地產", "房地产"), ("商湯", "商汤")]
)
def test_either_script_gives_the_same_first_page(archive, traditional, simplified):
    def first_page(query):
        return list(Episode.objects.public().search(query).values_list("pk", flat=True)[:20])

    assert first_page(traditional) == first_page(simplified) != []


def test_a_traditional_text_is_found_by_a_simplified_query_and_shown_as_written(client, archive):
    make_episode(
        Column.objects.get(slug="main"),
        900,
        title="【睡前消息900】台灣的半導體",
        transcript="台積電的晶圓廠在新竹。",
    )

    html = client.get(reverse("episodes:search"), {"q": "台积电"}).content.decode()

    assert "【睡前消息900】台灣的半導體" in html
    assert "<mark>台積電</mark>的晶圓廠" in html


@pytest.mark.slow  # the whole sample archive
@pytest.mark.skipif(
    not SAMPLE.is_dir() and not os.environ.get("CI"), reason="the archive sample is not beside the repo"
)
def test_on_the_archive_titles_come_first_either_script_agrees_and_numbers_find_their_episode():
    run_import(SAMPLE, "--no-history")
    public = Episode.objects.public()
    titles = list(public.values_list("title", flat=True))
    # Queries of our own: the words the archive's titles use most, past the columns' names.
    names = set(Column.objects.values_list("name", flat=True))
    counted = Counter(
        word
        for title in titles
        for word in rjieba.cut(title)
        if len(word) >= 2 and word.isalpha() and word not in names
    )
    queries = [word for word, _ in counted.most_common(25)]
    assert len(queries) >= 20
    for query in queries:
        first_page = list(public.search(query).values_list("title", flat=True)[:20])
        holding = [query.lower() in title.lower() for title in first_page]
        assert holding == sorted(holding, reverse=True), query
        assert first_page[: sum(holding)] and sum(holding) == min(
            20, sum(query in title for title in titles)
        ), query
        traditional = OpenCC("s2twp").convert(query)
        assert list(public.search(traditional).values_list("pk", flat=True)[:20]) == list(
            public.search(query).values_list("pk", flat=True)[:20]
        ), (query, traditional)
    for episode in public.exclude(number=None).select_related("column")[:60]:
        if public.filter(column=episode.column, number=episode.number).count() > 1:
            continue
        asked = f"{episode.column.name}{episode.number_label}"
        assert public.search(asked).first() == episode, asked
