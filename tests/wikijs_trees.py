"""Small Wiki.js trees written by the tests, and helpers to import them."""

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "wikijs-sample"

FRONT = """---
title: {title}
description: {description}
published: {published}
date: 2024-11-30T11:34:46.199Z
tags: {tags}
editor: markdown
dateCreated: 2024-11-30T11:07:11.272Z
---
"""

BILIBILI_TAB = """## B站

<div style="position: relative; padding: 30% 45%;">
<iframe src="//player.bilibili.com/player.html?&bvid={bvid}&page=1&as_wide=1&high_quality=1&danmaku=1&autoplay=0" allowfullscreen="true"></iframe>
</div>
"""


def page(title, body="", published="true", tags="", description=""):
    return FRONT.format(title=title, description=description, published=published, tags=tags) + body


def write_tree(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


def run_import(*args):
    """Run the command; return its exit status, its output lines and its summary line."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_wikijs", *map(str, args), stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        status = error.returncode
    return status, (out.getvalue() + err.getvalue()).splitlines(), out.getvalue().splitlines()[-1]


EPISODE_51 = page(
    "【产经破壁机051】从“不差钱”到大换血，商汤科技怎么了？",
    "\n# Tabs {.tabset}\n\n"
    + BILIBILI_TAB.format(bvid="BV1nezJYfEPc")
    + '\n## YouTube\n<iframe src="https://www.youtube-nocookie.com/embed/YouTubeVID"></iframe>\n\n#\n\n'
    "> 以下文本为音频转录结果，存在一定错误，校对正在进行中。\n{.is-warning}\n\n"
    "<font color=indigo>主持人</font>：公司裁员不可怕。\n第二行\n\n> 文中的提示\n{.is-info}\n\n"
    "整理者补充：[【睡前消息201】](/main/201-300/201)，[上一期](./50.md)\n",
    tags="人工智能, 商汤",
)


def write_sample_tree(root):
    return write_tree(
        root,
        {
            "business.md": page(
                "产经破壁机",
                "> 本栏目为音频转录。\n{.is-info}\n\n- [**51**](./business/51.md)\n{.links-list}\n",
                description="分布式马督工",
            ),
            "business/51.md": EPISODE_51,
            "business/-1.md": page(
                "【产经破壁机-001】龙舟比赛总伤亡",
                '<!--\n# Tabs {.tabset}\n## B站\n<iframe src="//player.bilibili.com/player.html?bvid=BV1nezJYfEPc"></iframe>\n-->\n\n#\n\n正文',
            ),
            "main/201-300/201.md": page(
                "【睡前消息201】反垄断才能制造伟大的企业",
                '## Tabs {.tabset}\n### 西瓜视频\n<iframe src="https://www.ixigua.com/iframe/7181234567890123456?autoplay=0"></iframe>\n\n### 播客\n<div class="podcast-player"></div>\n\n##\n\n## 第一节\n正文',
                tags="#反垄断",
            ),
            "main/601-700.md": page("第601-700期", "- [**601**](./601-700/601.md)\n{.links-list}"),
            "main/winterbreak2023/3.md": page("寒假特别节目3", "正文"),
            "status.md": page("当前进度", "进度表"),
            "template/main.md": page("【睡前消息xxx】模板", published="false"),
            "business/99.md": page("【产经破壁机099】草稿", "未发布", published="false"),
        },
    )
