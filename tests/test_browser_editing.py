"""The editors' desk in Chromium at 1440 px: a long transcript, saving, leaving, conflicts, the new-episode form."""

import pytest

from episodes.models import Episode
from episodes.roles import EDITOR
from tests.browsers import log_in
from tests.factories import make_episode

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"viewport": {"width": 1440, "height": 900}}
PARAGRAPHS = 300
# About 30,000 characters: three hundred paragraphs, each of them its own.
LONG_TRANSCRIPT = "\n\n".join(
    f"<font color=indigo>主持人：</font>第{index}段。" + "这是一段为了测试而写的文稿，句子很长。" * 5
    for index in range(1, PARAGRAPHS + 1)
)


def change_page(browser, live_server, episode, **options):
    editor = log_in(browser, live_server, EDITOR, **{**WIDE, **options})
    editor.goto(f"{live_server.url}/admin/episodes/episode/{episode.pk}/change/")
    editor.locator(".transcript-preview p").first.wait_for()
    return editor


def put_cursor_at(page, text):
    """The cursor of the transcript's box just after `text`, as a click there would put it."""
    page.locator("#id_transcript-0-source").evaluate(
        """(box, text) => {
            box.focus();
            const at = box.value.indexOf(text) + text.length;
            box.setSelectionRange(at, at);
            box.dispatchEvent(new KeyboardEvent("keyup"));
        }""",
        text,
    )


def test_the_preview_follows_an_edit_in_the_middle_of_a_long_transcript(browser, live_server, column):
    assert len(LONG_TRANSCRIPT) > 30_000
    episode = make_episode(column, 1, transcript=LONG_TRANSCRIPT)
    editor = change_page(browser, live_server, episode)
    box, preview = editor.locator("#id_transcript-0-source"), editor.locator(".transcript-preview")

    put_cursor_at(editor, "第150段")
    editor.keyboard.type("（改）")

    edited = preview.locator(".is-being-edited")
    edited.filter(has_text="第150段（改）").wait_for()
    shown, edited_box = preview.bounding_box(), edited.bounding_box()
    assert shown["y"] <= edited_box["y"] < shown["y"] + shown["height"]
    # At 1440 px the text and its preview share the width.
    assert box.bounding_box()["width"] > 500 and shown["width"] > 500
    assert editor.locator("#episode_form > div > .submit-row").is_visible()


def test_ctrl_s_saves_and_brings_the_editor_back_to_the_same_place(browser, live_server, column):
    episode = make_episode(column, 1, transcript=LONG_TRANSCRIPT)
    editor = change_page(browser, live_server, episode)
    box = editor.locator("#id_transcript-0-source")
    put_cursor_at(editor, "第200段")
    editor.keyboard.type("改")
    before = box.evaluate("box => [box.selectionStart, box.scrollTop]")
    assert before[1] > 1000

    with editor.expect_navigation():
        editor.keyboard.press("Control+s")
    editor.locator(".transcript-preview p").first.wait_for()

    assert "第200段改" in Episode.objects.get(pk=episode.pk).transcript.source
    after = box.evaluate("box => [box.selectionStart, box.scrollTop, document.activeElement === box]")
    assert after[0] == before[0] and abs(after[1] - before[1]) < 5 and after[2]


def test_leaving_with_unsaved_changes_asks_first(browser, live_server, column):
    episode = make_episode(column, 1, transcript="第一段。")
    editor = change_page(browser, live_server, episode)
    dialogs = []
    editor.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    editor.locator("#id_title").press_sequentially("改")
    editor.locator(".breadcrumbs a").nth(1).click()

    editor.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert editor.url.endswith(f"/{episode.pk}/change/")

    editor.locator("#id_title").fill(episode.title)
    editor.locator(".breadcrumbs a").nth(1).click()
    editor.wait_for_url(f"{live_server.url}/admin/episodes/")
    assert dialogs == ["beforeunload"]


def test_a_conflict_shows_the_other_change_and_reapplies_ones_own_on_top(browser, live_server, column):
    episode = make_episode(column, 1, transcript="第一段。\n\n第二段。\n\n第三段。")
    first = change_page(browser, live_server, episode, username="first")
    # The version both open is one of the episode's revisions.
    first.fill("#id_description", "两人打开前的简介")
    first.click("input[name=_continue]")
    second = change_page(browser, live_server, episode, username="second")
    first.reload()

    second.locator("#id_transcript-0-source").fill("第一段，第二个人改过。\n\n第二段。\n\n第三段。")
    second.click("input[name=_continue]")
    first.locator("#id_transcript-0-source").fill("第一段。\n\n第二段。\n\n第三段，第一个人改过。")
    first.click("input[name=_continue]")

    conflict = first.locator(".edit-conflict")
    assert "second" in conflict.inner_text()
    assert conflict.locator("ins").first.inner_text() == "，第二个人改过"
    first.get_by_role("button", name="在对方的版本上重新应用我的修改").click()
    first.locator(".messagelist").wait_for()

    source = Episode.objects.get(pk=episode.pk).transcript.source
    assert source == "第一段，第二个人改过。\n\n第二段。\n\n第三段，第一个人改过。"


def test_the_new_episode_form_says_the_warning_is_automatic_and_refuses_a_copy(browser, live_server, column):
    make_episode(column, 7)
    editor = log_in(browser, live_server, EDITOR, **WIDE)
    editor.goto(f"{live_server.url}/admin/episodes/episode/add/?column={column.pk}")
    assert editor.input_value("#id_number") == "8"
    assert editor.input_value("#id_title") == "【产经破壁机008】"
    assert "自动显示栏目的标准校对提示" in editor.locator(".inline-note").inner_text()

    editor.fill("#id_title", "【产经破壁机008】第八期")
    editor.locator(".inline-group").filter(has_text="提示框").locator(".add-row a").click()
    editor.fill("#id_warnings-0-text", column.default_warning)
    editor.click("input[name=_save]")

    assert "这是栏目的标准校对提示" in editor.locator(".field-text .errorlist").inner_text()
    assert not Episode.objects.filter(number=8).exists()


def test_an_editor_who_pastes_a_template_placeholder_is_told_so_on_that_link(browser, live_server, column):
    from playwright.sync_api import expect

    editor = log_in(browser, live_server, EDITOR, **WIDE)
    editor.goto(f"{live_server.url}/admin/episodes/episode/add/?column={column.pk}")
    editor.fill("#id_title", "【产经破壁机001】模板里的占位符")
    link = editor.locator("#id_tabs-0-url")
    link.fill("BV号")
    editor.click("input[name=_save]")

    expect(editor.locator("#tabs-0 td.field-url .errorlist")).to_have_text(
        "“BV号”是模板里的占位符，不是视频。请换成这期视频的链接（或 BV 号、YouTube ID）。"
    )
    expect(link).to_have_attribute("aria-invalid", "true")
    assert not Episode.objects.exists()

    # The box holds a whole link; once saved, what it was recognised as stands beside it.
    link.fill("https://www.bilibili.com/video/BV1nezJYfEPc/?p=2")
    assert link.evaluate("box => box.scrollWidth <= box.clientWidth")
    editor.click("input[name=_continue]")
    expect(editor.locator("#id_tabs-0-url-recognised")).to_have_text("B站 · BV1nezJYfEPc")
    assert editor.context.csp_violations == []
    assert editor.evaluate("document.querySelector('#tabs-group table').scrollWidth <= innerWidth")
