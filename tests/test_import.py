import os

import pytest

from column.models import Column, Page
from episodes.models import Embed, Episode
from markup.transcripts import paragraph_key
from tests.wikijs_trees import EPISODE_51, SAMPLE, page, run_import, write_tree

pytestmark = pytest.mark.django_db


def test_a_tree_imports_columns_episodes_and_pages(tree):
    status, output, summary = run_import(tree)

    assert status == 0, output
    assert (
        summary == "imported 9, updated 0, unchanged 0, skipped 0, failed 0, warnings 5, not carried over 0"
    )
    column = Column.objects.get(slug="business")
    assert (column.name, column.description) == ("产经破壁机", "分布式马督工")
    assert [(n.kind, n.text) for n in column.notices.all()] == [("info", "本栏目为音频转录。")]
    assert Column.objects.get(slug="main").name == "main"

    episode = Episode.objects.get(legacy_path="business/51")
    assert (episode.number, episode.slug, episode.is_public()) == (51, "51", True)
    assert sorted(episode.tags.names()) == ["人工智能", "商汤"]
    assert [(t.label, t.player and t.player.url) for t in episode.tabs.all()] == [
        ("B站", "https://www.bilibili.com/video/BV1nezJYfEPc/"),
        ("YouTube", None),
    ]
    # The standard warning became the transcript's state; other callouts stay callouts.
    assert list(episode.warnings.all()) == []
    assert episode.transcript.status == "machine"
    html = episode.transcript.html
    assert '<span class="ink-indigo">主持人</span>：公司裁员不可怕。<br>\n第二行' in html
    assert '<blockquote class="is-info">' in html


def test_tabset_at_second_level_xigua_and_placeholder_podcast(tree):
    run_import(tree)

    episode = Episode.objects.get(legacy_path="main/201-300/201")
    assert (episode.number, episode.slug, list(episode.tags.names())) == (201, "201", ["反垄断"])
    tabs = list(episode.tabs.all())
    assert [t.label for t in tabs] == ["西瓜视频", "播客"]
    assert tabs[0].embed.player_url == "https://www.ixigua.com/iframe/7181234567890123456?autoplay=0"
    assert tabs[1].player is None
    assert episode.transcript.html.startswith('<h2 id="第一节">第一节</h2>')


def test_commented_out_players_placeholders_and_empty_tabs_are_warnings(tree):
    _, output, _ = run_import(tree)

    warnings = [line for line in output if line.startswith("warning:")]
    assert any(line.startswith("warning: business/-1.md:13: commented-out player") for line in warnings)
    assert any("business/51.md" in line and "'YouTube' has no playable video" in line for line in warnings)
    assert any("main/201-300/201.md" in line and "'播客' holds no player" in line for line in warnings)
    special = Episode.objects.get(legacy_path="business/-1")
    key = paragraph_key("正文")
    assert (special.number, special.tabs.count()) == (-1, 0)
    assert special.transcript.html == f'<p data-paragraph="{key}">正文</p>'


def test_numbers_come_from_the_title_then_the_file_name(tree):
    run_import(tree)

    special = Episode.objects.get(legacy_path="main/winterbreak2023/3")
    assert (special.number, special.slug) == (3, "winterbreak2023-3")


def test_unpublished_pages_import_as_drafts_and_stay_hidden(client, tree):
    run_import(tree)

    assert Episode.objects.get(legacy_path="business/99").status == Episode.Status.DRAFT
    assert not Page.objects.get(path="template/main").is_published
    for url in ["/business/99", "/business/99/", "/template/main", "/template/main/"]:
        # An address without its slash is first sent to the one with it, whatever is there.
        assert client.get(url, follow=True).status_code == 404, url


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/business/51", "/business/51/"),
        ("/business/51.md", "/business/51/"),
        ("/main/201-300/201", "/main/201/"),
        ("/main/201-300/201/", "/main/201/"),
        ("/main/201-300/%32%30%31", "/main/201/"),
        # The wiki's own addresses carry its language; some links pad the range folder.
        ("/zh/main/201-300/201", "/main/201/"),
        ("/en/main/201-300/201/", "/main/201/"),
        ("/main/0201-0300/201", "/main/201/"),
        ("/zh/status", "/status/"),
        ("/main/601-700", "/main/"),
        ("/main/601-700/", "/main/"),
        ("/business/-1", "/business/-1/"),
        ("/status", "/status/"),
    ],
)
def test_old_wiki_paths_lead_to_the_new_pages(client, tree, old, new):
    run_import(tree)

    response = client.get(old)

    assert (response.status_code, response.headers["Location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_links_to_old_wiki_paths_in_a_transcript_lead_to_the_page(client, tree):
    run_import(tree)

    html = client.get("/business/51/").content.decode()

    # Imported after the page that links to it, and linked straight to all the same.
    assert 'href="/main/201/"' in html
    response = client.get("/main/201-300/201", follow=True)
    assert response.redirect_chain == [("/main/201/", 301)]
    assert "反垄断才能制造伟大的企业" in response.content.decode()


def test_site_page_is_served_at_its_path(client, tree):
    run_import(tree)

    response = client.get("/status/")

    assert response.status_code == 200
    assert "进度表" in response.content.decode()


def test_second_run_changes_nothing(tree):
    run_import(tree)
    before = {e.legacy_path: e.updated_at for e in Episode.objects.all()}
    embeds = set(Embed.objects.values_list("pk", flat=True))

    status, _, summary = run_import(tree)

    assert status == 0
    assert summary.startswith("imported 0, updated 0, unchanged 9,")
    assert {e.legacy_path: e.updated_at for e in Episode.objects.all()} == before
    assert set(Embed.objects.values_list("pk", flat=True)) == embeds


def test_changed_source_updates_its_episode(tree):
    run_import(tree)
    (tree / "business/51.md").write_text(
        EPISODE_51.replace("公司裁员不可怕", "公司裁员很可怕"), encoding="utf-8"
    )

    _, _, summary = run_import(tree)

    assert summary.startswith("imported 0, updated 1, unchanged 8,")
    transcript = Episode.objects.get(legacy_path="business/51").transcript
    assert "公司裁员很可怕" in transcript.source
    assert "公司裁员很可怕" in transcript.html
    assert Episode.objects.filter(legacy_path="business/51").count() == 1


def test_episode_edited_in_the_cms_is_kept_unless_overwrite(tree):
    run_import(tree)
    episode = Episode.objects.get(legacy_path="business/51")
    episode.title = "编辑改过的标题"
    episode.save()
    (tree / "business/51.md").write_text(EPISODE_51.replace("公司裁员不可怕", "新文本"), encoding="utf-8")

    _, output, summary = run_import(tree)
    assert "skipped 1" in summary
    assert any(line.startswith("conflict: business/51.md") for line in output)
    assert Episode.objects.get(pk=episode.pk).title == "编辑改过的标题"

    run_import(tree, "--overwrite")
    assert Episode.objects.get(pk=episode.pk).title.startswith("【产经破壁机051】")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe\x00broken", "business/7.md:1: not UTF-8 text"),
        ("---\ntitle: [unclosed\n---\n", "business/7.md:2: 'title' cannot be read as YAML"),
        ("---\ntitle: 标题\n这一行没有冒号\n---\n", "business/7.md:3: front matter line is not 'key: value'"),
        ("---\ntitle: x\n", "business/7.md:1: front matter is never closed"),
        ("---\ndescription: no title\n---\nbody", "business/7.md:1: the page has no title"),
        ("---\ntitle: 日期\ndate: not a date\n---\n", "business/7.md:3: 'date' is not a date"),
    ],
)
def test_broken_file_is_reported_leaves_nothing_and_others_go_on(tree, content, reason):
    write_tree(tree, {"business/7.md": content})

    status, output, summary = run_import(tree)

    assert status == 1
    assert any(line.startswith(f"failed: {reason}") for line in output), output
    assert (
        summary == "imported 9, updated 0, unchanged 0, skipped 0, failed 1, warnings 5, not carried over 0"
    )
    assert not Episode.objects.filter(legacy_path="business/7").exists()


def test_dry_run_reports_and_changes_nothing(tree):
    _, _, summary = run_import(tree, "--dry-run")

    assert summary.startswith("imported 9,")
    assert not Episode.objects.exists()
    assert not Column.objects.exists()


def test_a_single_file_within_a_tree(tree):
    status, _, summary = run_import(tree / "business/51.md", "--root", tree)

    assert status == 0
    assert summary.startswith("imported 1,")
    assert Episode.objects.get().legacy_path == "business/51"


@pytest.mark.slow  # the whole sample archive
@pytest.mark.skipif(
    not SAMPLE.is_dir() and not os.environ.get("CI"), reason="the archive sample is not beside the repo"
)
def test_archive_sample_imports_without_failure_and_answers_at_every_old_path(client):
    status, output, _ = run_import(SAMPLE)

    assert status == 0, [line for line in output if line.startswith("failed:")]
    for path in sorted(SAMPLE.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        old = "/" + path.relative_to(SAMPLE).with_suffix("").as_posix()
        response = client.get(old, follow=True)
        expected = 404 if "\npublished: false" in text.split("\n---", 1)[0] else 200
        assert response.status_code == expected, old


def test_front_matter_values_are_read_as_wiki_js_wrote_them(tmp_path):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "business/特别节目.md": page("回顾: 2024 年", tags="#芯片#光伏", description="yes"),
            "business/8.md": page('"【产经破壁机008】带引号的标题"', tags="[一, 二]"),
        },
    )

    status, output, _ = run_import(tree)

    assert status == 0, output
    special = Episode.objects.get(legacy_path="business/特别节目")
    assert (special.title, special.description, special.number, special.slug) == (
        "回顾: 2024 年",
        "yes",
        None,
        "特别节目",
    )
    assert sorted(special.tags.names()) == ["光伏", "芯片"]
    quoted = Episode.objects.get(legacy_path="business/8")
    assert (quoted.title, sorted(quoted.tags.names())) == ("【产经破壁机008】带引号的标题", ["一", "二"])


def test_each_callout_kind_becomes_a_warning_of_that_kind(tmp_path):
    callouts = "\n\n".join(
        f"> {kind} 提示\n{{.is-{kind}}}" for kind in ["info", "warning", "success", "danger"]
    )
    tree = write_tree(
        tmp_path / "wiki", {"business/1.md": page("【产经破壁机001】标题", f"{callouts}\n\n正文")}
    )

    run_import(tree)

    episode = Episode.objects.get()
    assert episode.transcript.status == "proofread"
    assert [(w.kind, w.text) for w in episode.warnings.all()] == [
        ("info", "info 提示"),
        ("warning", "warning 提示"),
        ("success", "success 提示"),
        ("danger", "danger 提示"),
    ]
    assert episode.transcript.source == "正文"


def test_each_imported_episode_starts_its_history_with_one_whole_revision(tree):
    from reversion.models import Version

    from episodes.revisions import revision_snapshot

    run_import(tree)
    run_import(tree)

    episode = Episode.objects.get(legacy_path="business/51")
    versions = Version.objects.get_for_object(episode)
    assert versions.count() == 1
    assert versions[0].revision.get_comment() == "从 Wiki.js 导入 business/51"
    snapshot = revision_snapshot(versions[0].revision)
    assert snapshot["tabs"] == [("B站", "https://www.bilibili.com/video/BV1nezJYfEPc/"), ("YouTube", "")]
    assert snapshot["transcript"].startswith("<font color=indigo>主持人</font>")


def test_links_that_lead_to_no_page_are_reported_with_their_line(tmp_path):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "main.md": page("睡前消息"),
            "main/1-100/1.md": page("【睡前消息1】标题", "正文"),
            "main/1-100/2.md": page(
                "【睡前消息2】标题",
                "[上一期](./1.md)、[同一期](/zh/main/001-100/1)、[栏目](/main)\n\n"
                "[不存在](/main/1-100/99) 和 [外链](https://example.org/x.md)\n",
            ),
        },
    )

    status, output, _ = run_import(tree)

    assert status == 0
    dangling = [line for line in output if "leads to no page" in line]
    assert dangling == ["warning: main/1-100/2.md:12: the link to /main/1-100/99 leads to no page"]


def test_a_link_to_an_episode_already_in_leads_to_its_page_directly(client, tmp_path):
    tree = write_tree(
        tmp_path / "wiki",
        {
            "main.md": page("睡前消息"),
            "main/1-100/1.md": page("【睡前消息1】标题", "正文"),
            "main/1-100/2.md": page(
                "【睡前消息2】标题", "[上一期](./1.md)，[同上](/main/1-100/1#开头)，[没有](/main/1-100/9)"
            ),
        },
    )
    run_import(tree)

    html = client.get("/main/2/").content.decode()

    transcript = html.split('class="transcript"')[1].split("</div>")[0]
    assert '<a href="/main/1/" rel="noopener noreferrer">上一期</a>' in transcript
    assert '<a href="/main/1/#开头" rel="noopener noreferrer">同上</a>' in transcript
    assert (
        '<a href="/main/1-100/9" rel="noopener noreferrer">没有</a>' in transcript
    )  # as written, and reported
