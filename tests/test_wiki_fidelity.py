"""Pages as the wiki showed them: each family of constructs Wiki.js rendered and we once lost.

Each page is imported from a small tree and read where the public reads it;
the same tree is then exported and must come back byte for byte.
"""

import pytest
from django.core.management import call_command

from column.models import Column
from episodes.models import Episode
from tests.wikijs_trees import BILIBILI_TAB, page, run_import, write_tree

TABSET = "# Tabs {.tabset}\n" + BILIBILI_TAB.format(bvid="BV1nezJYfEPc") + "\n#\n\n"

FAMILIES = {
    "images": "![](https://img.example.org/a.png =700x)\n\n![图](https://img.example.org/b.png =700x400)\n\n"
    "![](https://img.example.org/c.png =x300)\n",
    "bold-address": "**https://www.example.org/news/123**\n",
    "address-as-text": "[https://mp.example.org/s/Abc](https://mp.example.org/s?id=1&x=2)\n",
    "lists": "六项：\n1. 隧洞\n2. 渡槽\n\n> 三点：\n> 1. 甲\n> 2. 乙\n\n- 上级\n  - 下级一\n  - 下级二\n- 同级\n\n"
    "1. 第一\n   - 其中\n2. 第二\n",
    "addresses": "[存档](https://files.example.org/网页存档)\n\n"
    "[[https://a.example/x]{.underline}](https://a.example/x)\n\n"
    '见 https://a.example/a\\_b 一文\n\n他说：\\"好\\"\n\n ### 缩进的标题\n\n~~删去~~\n\n'
    "https://baike.example.org/item/引水工程/92?fr=a，见上\n\n  **2020**   3700余名\n  ---------------\n",
    "second-part": "正文\n\n# Tabs {.tabset}\n## B站\n"
    '<iframe src="//player.bilibili.com/player.html?&bvid=BV1gSBMBiELu&page=2&autoplay=0"></iframe>\n\n'
    "# 《第二部分》\n\n第二部分正文\n",
}


@pytest.fixture
def imported(tmp_path, db):
    files = {"business.md": page("产经破壁机")}
    for number, (name, body) in enumerate(FAMILIES.items(), start=1):
        files[f"business/{number}.md"] = page(f"【产经破壁机{number:03}】{name}", TABSET + body)
    tree = write_tree(tmp_path / "wiki", files)
    status, output, summary = run_import(tree)
    assert status == 0, output
    return tree, summary


def episode_html(client, name):
    number = list(FAMILIES).index(name) + 1
    response = client.get(f"/business/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_image_sizes_become_dimensions_of_a_whole_address(client, imported):
    html = episode_html(client, "images")

    assert 'src="https://img.example.org/a.png" width="700"' in html
    assert 'height="400" src="https://img.example.org/b.png" width="700"' in html
    assert 'height="300" src="https://img.example.org/c.png"' in html
    assert "=700x" not in html and "=x300" not in html


def test_bold_around_an_address_is_a_bold_link(client, imported):
    html = episode_html(client, "bold-address")

    assert (
        '<strong><a href="https://www.example.org/news/123" rel="noopener noreferrer">'
        "https://www.example.org/news/123</a></strong>" in html
    )


def test_a_link_whose_text_is_an_address_is_one_link_to_its_target(client, imported):
    html = episode_html(client, "address-as-text")

    assert (
        '<a href="https://mp.example.org/s?id=1&amp;x=2" rel="noopener noreferrer">https://mp.example.org/s/Abc</a>'
        in html
    )
    assert 'href="https://mp.example.org/s/Abc"' not in html
    assert "></a>" not in html.split('class="transcript"')[1]


def test_lists_begin_under_a_line_and_nest_by_their_items_indentation(client, imported):
    html = episode_html(client, "lists")

    assert "<p>六项：</p>\n<ol>\n<li>隧洞</li>\n<li>渡槽</li>\n</ol>" in html
    assert "<p>三点：</p>\n<ol>\n<li>甲</li>\n<li>乙</li>\n</ol>\n</blockquote>" in html
    assert "<li>上级<ul>\n<li>下级一</li>\n<li>下级二</li>\n</ul>\n</li>\n<li>同级</li>" in html
    assert "<li>第一<ul>\n<li>其中</li>\n</ul>\n</li>\n<li>第二</li>" in html


def test_addresses_escapes_indented_headings_and_strikes(client, imported):
    html = episode_html(client, "addresses")

    assert '<a href="https://files.example.org/网页存档" rel="noopener noreferrer">存档</a>' in html
    assert (
        '<a href="https://a.example/x" rel="noopener noreferrer">[https://a.example/x]{.underline}</a>'
        in html
    )
    assert '<a href="https://a.example/a_b" rel="noopener noreferrer">https://a.example/a_b</a>' in html
    assert "klzzwxh" not in html
    assert "他说：&quot;好&quot;" in html or '他说："好"' in html
    assert ">缩进的标题</h3>" in html
    assert "<s>删去</s>" in html
    # Chinese words in an address's path are part of it; Chinese punctuation ends it.
    assert '<a href="https://baike.example.org/item/引水工程/92?fr=a" rel="noopener noreferrer">' in html
    # Under a line, an indented rule makes a heading, as in CommonMark.
    assert "<strong>2020</strong>   3700余名</h2>" in html


def test_a_player_further_down_the_text_is_shown_under_its_tab_name(client, imported):
    html = episode_html(client, "second-part")
    transcript = html.split('class="transcript"')[1]

    assert "<figcaption>B站</figcaption>" in transcript
    assert 'src="https://player.bilibili.com/player.html?&amp;bvid=BV1gSBMBiELu&amp;page=2' in transcript
    assert ">《第二部分》</h1>" in transcript
    assert ">Tabs<" not in transcript


def test_the_tree_exports_back_byte_for_byte(imported, tmp_path):
    tree, _ = imported
    call_command("export_wikijs", str(tmp_path / "out"))

    for path in tree.rglob("*.md"):
        exported = tmp_path / "out" / path.relative_to(tree)
        assert exported.read_bytes() == path.read_bytes(), path.name


DELETED_VIDEO_TABS = (
    "# Tabs {.tabset}\n## B站\n> 本期视频已被删除\n{.is-danger}\n\n\n"
    "## YouTube\n> 此处列出的视频是其它用户上传的版本。\n{.is-warning}\n\n"
    '<iframe src="https://www.youtube-nocookie.com/embed/aGBdZT4RZWw"></iframe>\n\n#\n\n正文\n'
)


def test_a_callout_inside_a_tab_shows_in_that_tab(client, tmp_path, db):
    tree = write_tree(
        tmp_path / "wiki",
        {"main.md": page("睡前消息"), "main/74.md": page("【睡前消息74】标题", DELETED_VIDEO_TABS)},
    )
    assert run_import(tree)[0] == 0

    html = client.get("/main/74/").content.decode()
    tabs = html.split('class="player-tabs"')[1].split("</section>")[0]
    assert '<blockquote class="is-danger">\n<p>本期视频已被删除</p>\n</blockquote>' in tabs
    assert '<blockquote class="is-warning">\n<p>此处列出的视频是其它用户上传的版本。</p>' in tabs
    assert 'role="tab"' in tabs and ">B站</button>" in tabs

    call_command("export_wikijs", str(tmp_path / "out"))
    assert (tmp_path / "out" / "main/74.md").read_bytes() == (tree / "main/74.md").read_bytes()


def test_a_special_episode_with_players_is_an_episode_at_its_old_address(client, tmp_path, db):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "main.md": page("睡前消息"),
            "main/1-100.md": page("第1-100期", "- [**13**](./1-100/13.md)\n{.links-list}\n"),
            "main/1-100/13.md": page("【睡前消息13】正片", TABSET + "正文\n"),
            "main/1-100/14.md": page("【睡前消息14】下一期", TABSET + "正文\n"),
            "main/1-100/13-2.md": page("【睡前消息13.5】番外", TABSET + "番外正文\n"),
        },
    )
    assert run_import(tree)[0] == 0

    special = Episode.objects.get(legacy_path="main/1-100/13-2")
    assert special.number_label == "13.5" and special.playable_tabs()
    response = client.get("/main/1-100/13-2", follow=True)
    assert response.redirect_chain[-1][0] == special.get_absolute_url()
    assert "BV1nezJYfEPc" in response.content.decode()
    # In its place between 13 and 14.
    assert special.previous_episode().number == 13 and special.next_episode().number == 14
    assert Column.objects.get(slug="main").next_episode_number() == 15


RANGE_PAGE = (
    "> 596期后，编辑部进入暑假状态，暂缓更新。\n{.is-warning}\n\n"
    "- [**2022年度小结**](./501-600/thewordof2022.md)\n{.links-list}\n\n"
    "# 591 - 600\n- [**596** *标题*](./501-600/596.md)\n\n{.links-list}\n\n"
    "# 581 - 590\n- [**589** *标题*](./501-600/589.md)\n{.links-list}\n"
)


def test_an_index_page_keeps_its_notices_on_the_column_page(client, tmp_path, db):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "main.md": page("睡前消息"),
            "main/501-600.md": page("第501-600期", RANGE_PAGE),
            "main/501-600/596.md": page("【睡前消息596】标题", TABSET),
        },
    )
    assert run_import(tree)[0] == 0

    html = client.get("/main/").content.decode()
    notes = html.split('class="range-notes"')[1].split("</section>")[0]
    assert ">第501-600期</h2>" in notes
    assert '<blockquote class="is-warning">\n<p>596期后，编辑部进入暑假状态，暂缓更新。</p>' in notes
    assert "links-list" not in notes and "591 - 600" not in notes


HOME = (
    "> 【每日新闻】暂停更新。\n{.is-warning}\n\n# 阅读文稿\n"
    "- [**下架合集**](banned.md)\n- [**睡前消息**](main.md)\n- [**产经破壁机**](business.md)\n{.links-list}\n"
)


def test_navigation_follows_the_wiki_home_page_and_hides_folders_of_drafts(client, tmp_path, db):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "home.md": page("欢迎", HOME),
            "business.md": page("产经破壁机"),
            "business/1.md": page("【产经破壁机001】标题", TABSET),
            "main.md": page("睡前消息"),
            "main/1.md": page("【睡前消息1】标题", TABSET),
            "banned.md": page("下架合集"),
            "banned/1.md": page("【下架1】标题", TABSET),
            "temp/draft.md": page("草稿", TABSET, published="false"),
        },
    )
    assert run_import(tree)[0] == 0

    html = client.get("/").content.decode()
    header = html.split("<nav")[1].split("</nav>")[0]
    positions = [header.index(f'href="/{slug}/"') for slug in ("banned", "main", "business")]
    assert positions == sorted(positions)
    assert 'href="/temp/"' not in html
    assert '<blockquote class="is-warning">\n<p>【每日新闻】暂停更新。</p>' in html


def test_what_cannot_be_carried_over_is_reported_by_kind_with_its_line(tmp_path, db):
    text = page(
        "【产经破壁机001】x",
        TABSET
        + '正文\n<script>alert(1)</script>\n<iframe src="https://maps.example.com/embed"></iframe>\n'
        + '<!-- <iframe src="https://maps.example.com/hidden"></iframe> -->\n',
    )
    lines = text.split("\n")
    tree = write_tree(tmp_path / "wiki", {"business.md": page("产经破壁机"), "business/1.md": text})

    status, output, summary = run_import(tree)

    assert status == 0
    assert summary.endswith("not carried over 2 (frame 1, raw html 1)")
    script_line = lines.index("<script>alert(1)</script>") + 1
    assert f"warning: business/1.md:{script_line}: not carried over: <script> is not shown" in output
    frame = f"warning: business/1.md:{script_line + 1}: not carried over: a frame of https://maps.example.com/embed"
    assert any(line.startswith(frame) for line in output), output


def test_the_families_import_with_nothing_left_behind(imported):
    _, summary = imported
    assert summary.endswith("not carried over 0")
