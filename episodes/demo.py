"""Made-up demo content in the archive's style, loaded by `load_demo`."""

from datetime import UTC, date, datetime

from column.models import MACHINE_TRANSCRIPT_WARNING

COLUMN = {
    "slug": "demo",
    "name": "示例栏目",
    "description": "虚构的演示节目，用来展示文稿页面的样子",
    "episode_title_pattern": "【示例栏目{number:03}】",
    "default_tab_labels": "B站, YouTube",
    "default_warning": MACHINE_TRANSCRIPT_WARNING,
    "shows_corrections_log": True,
    "notices": [
        ("info", "【示例栏目】为音频转录，经过与原视频字幕同步校正。\n\n部分断句、分段可能与原文稿不同。"),
    ],
}

EPISODES = [
    {
        "number": 1,
        "title": "【示例栏目001】小县城的咖啡店，为什么越开越多？",
        "description": "县城里的咖啡店三年翻了两番，是消费升级还是资本下沉？【示例栏目001】",
        "status": "published",
        "published_at": datetime(2024, 9, 2, 12, 0, tzinfo=UTC),
        "aired_on": date(2024, 9, 1),
        "aired_on_source": "editor",
        "tags": ["咖啡", "县城经济"],
        "tabs": [
            ("B站", "https://www.bilibili.com/video/BV1Ab411c7Dm/"),
            ("YouTube", "https://www.youtube.com/watch?v=Xo9fW0pQ2aE"),
        ],
        "warnings": [],
        "transcript_status": "machine",
        "transcript": """[0:00] <font color=indigo>今天我们聊一聊县城里的咖啡店。</font>

[0:12] 三年前，一个二十万人口的县城里，能喝到现磨咖啡的地方一只手就数得过来。
[0:25] 到了今年，光是县城煮街上就开了十几家。

![示意图：县城咖啡店数量（虚构数据）](/static/demo/coffee-shops.svg)

# 开店的账怎么算

| 项目 | 一线城市 | 县城 |
|:-----|-----:|-----:|
| 月租金 | 30000 元 | 4000 元 |
| 一杯美式 | 25 元 | 12 元 |
| 日均杯数 | 300 | 120 |

房租只有大城市的七分之一，这是县城咖啡店能活下来的第一个原因。[^1]

[3:05] <font color=indigo>那第二个原因呢？</font>

[3:10] 第二个原因是年轻人回流。返乡工作的年轻人把在大城市养成的习惯带了回来，<u>咖啡从奢侈品变成了日用品</u>。

[^1]: 本期数据均为虚构，仅作演示。
""",
    },
    {
        "number": 2,
        "title": "【示例栏目002】一碗面的供应链",
        "description": "从麦田到面馆，一碗面要经过多少道工序？【示例栏目002】",
        "status": "published",
        "published_at": datetime(2024, 9, 9, 12, 0, tzinfo=UTC),
        "aired_on": date(2024, 9, 8),
        "aired_on_source": "editor",
        "tags": ["供应链", "县城经济"],
        "tabs": [
            ("B站", "https://www.bilibili.com/video/BV1Cd4y1e7Fg/"),
            ("播客", "https://media.example.org/demo/episode-002.mp3"),
        ],
        "warnings": [("info", "本期文稿已经校对完成。")],
        "transcript_status": "proofread",
        "transcript": """<font color=indigo>一碗面，从麦田到碗里，要走多远？</font>

小麦收割以后，先进粮库，再进面粉厂。
面粉厂把小麦磨成不同筋度的面粉，卖给挂面厂和面馆。

# 面馆的成本

一家面馆最大的成本不是面，而是人工和房租。按 <kbd>Ctrl</kbd> + <kbd>F</kbd> 可以在页面里查找“成本”。
""",
    },
    {
        "number": 3,
        "title": "【示例栏目003】尚未发布的一期",
        "description": "这一期还是草稿，公众看不到。",
        "status": "draft",
        "published_at": None,
        "tags": ["草稿"],
        "tabs": [("B站", "")],
        "warnings": [],
        "transcript_status": "machine",
        "transcript": "这一期的文稿还在整理中。\n",
    },
]

# Readers' corrections to episode 1: one already applied (it shows in the column's public log),
# one waiting in the proofreaders' queue.
CORRECTIONS = [
    {
        "episode": 1,
        "status": "accepted",
        "original": "房子只有大城市的七分之一，这是县城咖啡店能活下来的第一个原因。[^1]",
        "proposed": "房租只有大城市的七分之一，这是县城咖啡店能活下来的第一个原因。[^1]",
        "note": "",
        "name": "示例读者",
    },
    {
        "episode": 1,
        "status": "open",
        "original": "[0:12] 三年前，一个二十万人口的县城里，能喝到现磨咖啡的地方一只手就数得过来。\n"
        "[0:25] 到了今年，光是县城煮街上就开了十几家。",
        "proposed": "[0:12] 三年前，一个二十万人口的县城里，能喝到现磨咖啡的地方一只手就数得过来。\n"
        "[0:25] 到了今年，光是县城主街上就开了十几家。",
        "note": "“煮街”应为“主街”。",
        "name": "热心观众",
    },
]
