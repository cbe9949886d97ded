"""A generated Wiki.js archive of the real one's size and shape, for benchmarks.

Pages follow the archive's format (front matter, a tabset with Bilibili and
YouTube players, the machine-transcript warning, a transcript with speaker
highlights, headings and the occasional table) and are spread over several
columns in range folders. The text is drawn from a fixed vocabulary with a
fixed seed, so every run builds the same tree.
"""

import random
import string
import subprocess
from pathlib import Path

COLUMNS = [("main", "睡前消息"), ("business", "产经破壁机"), ("reference", "参考信息"), ("opinion", "高见")]
# Topics are what a page is about: each page draws a few, so a topic word is
# found on a share of the pages, as 芯片 is on about one page in ten of the archive.
TOPICS = (  # noqa: SIM905 - a line of words reads better than a list of quoted ones
    "芯片 光伏 商汤 新能源 汽车 房地产 地方债 供应链 出口 电力 电网 储能 锂电池 钢铁 煤炭 石油 天然气 粮食 猪肉 大豆 "
    "港口 航运 铁路 高铁 机场 大飞机 半导体 光刻机 人工智能 大模型 算力 数据中心 互联网 电商 直播 外卖 快递 物流 银行 "
    "保险 证券 基金 股市 债券 汇率 通胀 利率 税收 补贴 融资 上市 裁员 创业 制造业 产业链 出海 关税 贸易 垄断 教育 "
    "医疗 养老 住房 交通 文旅"
).split()
COMMON = (  # noqa: SIM905
    "我们 今天 这个 问题 市场 企业 公司 政府 政策 经济 发展 价格 成本 利润 工资 就业 消费 投资 城市 农村 人口 "
    "竞争 监管 改革 技术 产品 行业 中国 美国 日本 欧洲 地方 国家 数据 时间 未来 风险 机会"
).split()
PUNCTUATION = "，，，。！？；"
TAGS = ["芯片", "光伏", "新能源", "房地产", "地方债", "人工智能", "制造业", "消费", "就业", "出海"]
PARTICLES = ["的", "和", "在", "是", "让", "把", "从", ""]


def _sentence(rng, topics):
    vocabulary = COMMON + list(topics) * 6
    words = [rng.choice(vocabulary) + rng.choice(PARTICLES) for _ in range(rng.randint(6, 14))]
    return "".join(words) + rng.choice(PUNCTUATION)


def _transcript(rng, characters, topics):
    paragraphs = []
    size = 0
    while size < characters:
        if rng.random() < 0.08:
            paragraph = f"## {_sentence(rng, topics)[:12]}"
        elif rng.random() < 0.1:
            paragraph = f"<font color=indigo>{_sentence(rng, topics)}</font>"
        elif rng.random() < 0.02:
            paragraph = "| 年份 | 数值 |\n|:--|--:|\n" + "\n".join(
                f"| {2015 + i} | {rng.randint(1, 999)} |" for i in range(5)
            )
        else:
            paragraph = "\n".join(_sentence(rng, topics) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(paragraphs)


def _video_id(rng, alphabet, length):
    return "".join(rng.choice(alphabet) for _ in range(length))


def _page(rng, column_name, number, characters):
    bvid = "BV1" + _video_id(rng, string.ascii_letters + string.digits, 9)
    youtube = _video_id(rng, string.ascii_letters + string.digits + "-_", 11)
    topics = rng.sample(TOPICS, 4)
    tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
    return f"""---
title: 【{column_name}{number:03}】{_sentence(rng, topics)[:16]}
description: {_sentence(rng, topics)}
published: true
date: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00.000Z
tags: {tags}
editor: markdown
dateCreated: 2024-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}T08:00:00.000Z
---

# Tabs {{.tabset}}

## B站

<div style="position: relative; padding: 30% 45%;">
<iframe style="position: absolute; width: 100%; height: 100%; left: 0; top: 0;" src="//player.bilibili.com/player.html?&bvid={bvid}&page=1&as_wide=1&high_quality=1&danmaku=1&autoplay=0" scrolling="no" border="0" frameborder="no" framespacing="0" allowfullscreen="true"></iframe>
</div>

## YouTube

<div style="position: relative; padding: 30% 45%;">
<iframe style="position: absolute; top: 0; left: 0; width: 100%; height: 100%;" src="https://www.youtube-nocookie.com/embed/{youtube}" title="YouTube video player" frameborder="0" allowfullscreen></iframe>
</div>

#

> 以下文本为音频转录结果，存在一定错误，校对正在进行中。
{{.is-warning}}

{_transcript(rng, characters, topics)}
"""


def generate_tree(root, pages=2000, characters=4500, seed=20241130):
    """Write `pages` episode pages under `root`, half of them in the first column."""
    rng = random.Random(seed)
    root = Path(root)
    shares = [pages // 2] + [pages // 2 // (len(COLUMNS) - 1)] * (len(COLUMNS) - 1)
    shares[-1] += pages - sum(shares)
    for (slug, name), count in zip(COLUMNS, shares, strict=True):
        (root / slug).mkdir(parents=True, exist_ok=True)
        (root / f"{slug}.md").write_text(
            f"---\ntitle: {name}\ndescription: \npublished: true\ndate: 2024-01-01T00:00:00.000Z\ntags: \n"
            f"editor: markdown\ndateCreated: 2024-01-01T00:00:00.000Z\n---\n\n> 【{name}】为音频转录。\n{{.is-info}}\n",
            encoding="utf-8",
        )
        for number in range(1, count + 1):
            folder = root / slug / f"{(number - 1) // 100 * 100 + 1}-{(number - 1) // 100 * 100 + 100}"
            folder.mkdir(exist_ok=True)
            (folder / f"{number}.md").write_text(_page(rng, name, number, characters), encoding="utf-8")
    return root


VOLUNTEERS = ["人本", "am1891", "文稿管理员", "乞久", "admin1", "JiangYan", "kt", "ShadyLeaf"]


def generate_repository(root, pages=2000, commits=6000, seed=20241130):
    """`generate_tree`, as the working tree of a git repository whose history has `commits` commits.

    Each page is created once (its first half, as a machine transcript starts)
    and the remaining commits update pages chosen at random, the last update
    of each page writing it as the tree has it; authors and times vary as a
    volunteer archive's do. Written with one `git fast-import`.
    """
    rng = random.Random(seed)
    root = generate_tree(root, pages=pages, seed=seed)
    finals = {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.md"))}
    updates = {path: 0 for path in finals}
    for path in rng.choices(sorted(finals), k=max(0, commits - len(finals))):
        updates[path] += 1
    sequence = [(path, "create") for path in finals]
    pending = [path for path, count in updates.items() for _ in range(count)]
    rng.shuffle(pending)
    sequence += [(path, "update") for path in pending]
    remaining = dict(updates)
    stream, moment = [], 1_668_859_200  # 2022-11-19
    for path, action in sequence:
        final = finals[path]
        if action == "create" and updates[path]:
            text = final.decode()[: len(final.decode()) // 2].encode()
        elif action == "update":
            remaining[path] -= 1
            text = (
                final
                if not remaining[path]
                else final + f"\n校对第 {updates[path] - remaining[path]} 遍\n".encode()
            )
        else:
            text = final
        moment += rng.randint(60, 7200)
        author = rng.choice(VOLUNTEERS).encode()
        message = f"docs: {action} {path.removesuffix('.md')}".encode()
        stream += [
            b"commit refs/heads/main\n",
            b"author %s <> %d +0000\ncommitter %s <> %d +0000\n" % (author, moment, author, moment),
            b"data %d\n%s\n" % (len(message), message),
            b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(text), text),
        ]
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q"], check=True)
    return root
