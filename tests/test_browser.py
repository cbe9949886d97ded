"""Behaviour that only a real browser shows, in Debian's headless Chromium."""

import re

import pytest

from episodes.models import Episode, Transcript
from episodes.roles import EDITOR, PROOFREADER, PUBLISHER
from markup.transcripts import paragraph_key
from tests.browsers import local_context, log_in
from tests.factories import make_episode

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):
    context = local_context(browser, live_server)
    yield context.new_page()
    assert context.csp_violations == []
    context.close()


def test_tabs_switch_by_click_and_arrow_keys(page, live_server, column):
    make_episode(
        column,
        1,
        tabs=[
            ("B站", "BV1nezJYfEPc"),
            ("YouTube", "mxm7Vf6YPjo"),
            ("播客", "https://media.example.org/1.mp3"),
        ],
    )
    page.goto(f"{live_server.url}/business/1/")

    tabs = page.get_by_role("tab")
    panels = page.locator('[role="tabpanel"]')
    assert tabs.all_inner_texts() == ["B站", "YouTube", "播客"]
    assert panels.nth(0).is_visible() and not panels.nth(1).is_visible()

    tabs.nth(1).click()
    assert tabs.nth(1).get_attribute("aria-selected") == "true"
    assert tabs.nth(0).get_attribute("aria-selected") == "false"
    assert panels.nth(1).is_visible() and not panels.nth(0).is_visible()

    page.keyboard.press("ArrowRight")
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.textContent") == "播客"
    assert panels.nth(2).is_visible() and not panels.nth(1).is_visible()

    page.keyboard.press("ArrowRight")
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowLeft")
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    page.keyboard.press("Home")
    assert tabs.nth(0).get_attribute("aria-selected") == "true"


def test_without_javascript_every_player_is_reachable(browser, live_server, column):
    make_episode(column, 1, tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "mxm7Vf6YPjo")])
    context = local_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/business/1/")

    assert page.locator('[role="tablist"]').is_hidden()
    assert page.locator(".tab-panel iframe").count() == 2
    assert all(panel.is_visible() for panel in page.locator('[role="tabpanel"]').all())
    assert page.get_by_role("heading", name="YouTube").is_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_player_keeps_16_by_9_at_every_width(page, live_server, column, width):
    make_episode(column, 1)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/business/1/")

    box = page.locator(".player iframe").bounding_box()

    assert box["width"] <= width
    assert box["width"] / box["height"] == pytest.approx(16 / 9, rel=0.01)


def test_the_address_follows_the_number_until_an_editor_writes_one(browser, live_server, column):
    editor = log_in(browser, live_server, EDITOR)
    editor.goto(f"{live_server.url}/admin/episodes/episode/add/?column={column.pk}")

    number = editor.locator("#id_number")
    for typed in ("88", "89"):
        number.fill("")
        number.press_sequentially(typed)
        assert editor.input_value("#id_slug") == typed
    editor.locator("#id_slug").fill("")
    editor.locator("#id_slug").press_sequentially("special")
    number.fill("")
    number.press_sequentially("90")
    assert editor.input_value("#id_slug") == "special"


def test_editorial_path_from_template_to_public_page(browser, live_server, column):
    warning = "以下文本为音频转录结果，存在一定错误，校对正在进行中。"

    editor = log_in(browser, live_server, EDITOR)
    editor.goto(f"{live_server.url}/admin/episodes/episode/add/?column={column.pk}")
    assert editor.input_value("#id_title") == "【产经破壁机001】"
    assert editor.input_value("#id_tabs-0-label") == "B站"
    editor.fill("#id_title", "【产经破壁机001】浏览器里做的一期")
    editor.fill("#id_tabs-0-url", "https://www.bilibili.com/video/BV1nezJYfEPc/?spm_id_from=333")
    editor.fill("#id_transcript-0-source", "<font color=indigo>主持人</font>：今天聊聊芯片。")
    expect_preview = editor.locator(".transcript-preview span.ink-indigo")
    expect_preview.wait_for()
    editor.select_option("#id_status", "review")
    editor.click("input[name=_save]")
    episode = Episode.objects.get()
    assert (episode.status, episode.tabs.get(label="B站").url) == (
        "review",
        "https://www.bilibili.com/video/BV1nezJYfEPc/",
    )

    proofreader = log_in(browser, live_server, PROOFREADER)
    proofreader.goto(f"{live_server.url}/admin/episodes/episode/{episode.pk}/change/")
    proofreader.select_option("#id_transcript-0-status", "proofread")
    proofreader.click("input[name=_save]")
    assert Transcript.objects.get(episode=episode).status == "proofread"

    publisher = log_in(browser, live_server, PUBLISHER)
    publisher.goto(f"{live_server.url}/admin/episodes/episode/{episode.pk}/change/")
    publisher.select_option("#id_status", "published")
    publisher.click("input[name=_save]")
    assert Episode.objects.get(pk=episode.pk).is_public()

    reader = local_context(browser, live_server).new_page()
    reader.goto(f"{live_server.url}/business/1/")
    assert reader.get_by_role("heading", level=1).inner_text() == "【产经破壁机001】浏览器里做的一期"
    assert reader.get_by_role("tab").all_inner_texts() == ["B站"]
    assert warning not in reader.content()
    for page in (editor, proofreader, publisher, reader):
        assert page.context.csp_violations == [], page.url


def serious_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_main_pages_pass_axe_in_light_and_dark_mode(browser, live_server, column, color_scheme, width):
    from column.models import ColumnNotice

    ColumnNotice.objects.create(column=column, kind="info", text="本栏目为音频转录。")
    for number in (1, 2):
        make_episode(
            column,
            number,
            tags=["芯片"],
            tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "mxm7Vf6YPjo")],
            transcript="# 开头\n\n<font color=indigo>主持人</font>：芯片。\n\n> 注意\n{.is-danger}\n\n## 细节\n\n正文[^1]\n\n[^1]: 注释",
        )
    context = local_context(
        browser, live_server, color_scheme=color_scheme, viewport={"width": width, "height": 900}
    )
    page = context.new_page()

    correction_form = f"/business/1/correct/{paragraph_key('<font color=indigo>主持人</font>：芯片。')}/"
    for path in [
        "/",
        "/business/",
        "/business/1/",
        "/search/?q=芯片",
        "/search/",
        "/tags/芯片/",
        correction_form,
    ]:
        page.goto(f"{live_server.url}{path}")
        assert serious_accessibility_violations(page) == [], path
    context.close()


def test_a_timestamp_seeks_the_player_of_the_active_tab(page, live_server, column):
    from playwright.sync_api import expect

    from episodes.models import Embed

    make_episode(
        column,
        1,
        tabs=[
            ("西瓜视频", "https://www.ixigua.com/7123456789012345678"),
            ("B站", "BV1nezJYfEPc"),
            ("YouTube", "mxm7Vf6YPjo"),
        ],
        transcript="[0:00] 开场\n[3:05] 正题",
    )
    Embed.objects.filter(tab__label="YouTube").update(offset_seconds=-5)
    page.goto(f"{live_server.url}/business/1/")
    active_player = page.locator('[role="tabpanel"]:not([hidden]) iframe')

    # Xigua's player cannot be told where to start: the first player that can takes over.
    # From the keyboard, as a reader tabbing through the transcript would.
    page.get_by_role("link", name="[3:05]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="B站")).to_have_attribute("aria-selected", "true")
    expect(active_player).to_have_attribute("src", re.compile(r"player\.bilibili\.com/.*[?&]t=185(&|$)"))

    page.get_by_role("tab", name="B站").focus()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="YouTube")).to_have_attribute("aria-selected", "true")
    page.get_by_role("link", name="[3:05]").focus()
    page.keyboard.press("Enter")
    expect(active_player).to_have_attribute(
        "src", re.compile(r"youtube-nocookie\.com/embed/\w+\?start=180&autoplay=1$")
    )
    assert page.url == f"{live_server.url}/business/1/"


def test_a_reader_corrects_a_paragraph_and_a_proofreader_accepts_it(browser, live_server, column):
    from playwright.sync_api import expect

    from episodes.models import Correction

    make_episode(
        column, 1, transcript="<font color=indigo>主持人</font>：今天聊聊新能源汽车的价格站。\n\n第二段。"
    )
    reader = local_context(browser, live_server).new_page()
    reader.goto(f"{live_server.url}/business/1/")

    # From the keyboard: the link is reached by tabbing, the dialog takes the focus.
    reader.locator("a.suggest-correction").first.focus()
    reader.keyboard.press("Enter")
    dialog = reader.get_by_role("dialog", name="纠错")
    expect(dialog).to_be_visible()
    proposal = dialog.get_by_label("建议改为")
    expect(proposal).to_be_focused()
    expect(proposal).to_have_value("主持人：今天聊聊新能源汽车的价格站。")
    dialog.get_by_role("button", name="提交纠错").click()
    expect(proposal).to_have_attribute("aria-invalid", "true")
    expect(dialog).to_contain_text("这段文字还没有改动")
    proposal.fill("主持人：今天聊聊新能源汽车的价格战。")
    dialog.get_by_label("署名").fill("热心观众")
    dialog.get_by_role("button", name="提交纠错").click()
    expect(dialog.get_by_role("heading", name="谢谢您的纠错")).to_be_visible()
    reader.keyboard.press("Escape")
    expect(reader.locator("a.suggest-correction").first).to_be_focused()
    assert reader.url == f"{live_server.url}/business/1/"
    correction = Correction.objects.get()

    proofreader = log_in(browser, live_server, PROOFREADER)
    proofreader.goto(f"{live_server.url}/admin/")
    # The dashboard's count of open suggestions leads to the queue.
    proofreader.locator("#dashboard a[href*='/correction/']", has_text="1").click()
    proofreader.get_by_role("link", name=re.compile("价格站战")).click()
    expect(proofreader.locator(".character-diff del")).to_have_text("站")
    proofreader.get_by_role("button", name="采纳并更新文稿").click()
    expect(proofreader.locator(".messagelist")).to_contain_text("已采纳")

    reader.reload()
    expect(reader.locator(".transcript p").first).to_contain_text("新能源汽车的价格战。")
    correction.refresh_from_db()
    assert correction.status == "accepted"
    for page in (reader, proofreader):
        assert page.context.csp_violations == [], page.url


def test_a_reader_corrects_the_words_after_a_speaker_and_the_colour_stays(browser, live_server, column):
    from playwright.sync_api import expect

    from episodes.models import Correction

    make_episode(column, 1, transcript="<font color=indigo>主持人：</font>大家好，**欢迎收看**本期节目。")
    reader = local_context(browser, live_server, viewport={"width": 1440, "height": 900}).new_page()
    reader.goto(f"{live_server.url}/business/1/")

    reader.locator("a.suggest-correction").first.click()
    dialog = reader.get_by_role("dialog", name="纠错")
    proposal = dialog.get_by_label("建议改为")
    expect(proposal).to_have_value("主持人：大家好，欢迎收看本期节目。")
    # Typed right after the speaker's name, where the colour ends in the source.
    proposal.press("Control+Home")
    for _ in "主持人：":
        proposal.press("ArrowRight")
    reader.keyboard.type("各位观众，")
    expect(proposal).to_have_value("主持人：各位观众，大家好，欢迎收看本期节目。")
    dialog.get_by_role("button", name="提交纠错").click()
    expect(dialog.get_by_role("heading", name="谢谢您的纠错")).to_be_visible()
    correction = Correction.objects.get()

    proofreader = log_in(browser, live_server, PROOFREADER)
    proofreader.goto(f"{live_server.url}/admin/episodes/correction/{correction.pk}/change/")
    expect(proofreader.locator(".character-diff ins").first).to_have_text("各位观众，")
    proofreader.get_by_role("button", name="采纳并更新文稿").click()
    expect(proofreader.locator(".messagelist")).to_contain_text("已采纳")

    reader.reload()
    paragraph = reader.locator(".transcript p").first
    expect(paragraph).to_contain_text("主持人：各位观众，大家好，欢迎收看本期节目。")
    speaker = paragraph.locator("span.ink-indigo")
    expect(speaker).to_have_text("主持人：")
    expect(speaker).to_have_css("color", "rgb(75, 0, 130)")
    expect(paragraph.locator("strong")).to_have_text("欢迎收看")
    for page in (reader, proofreader):
        assert page.context.csp_violations == [], page.url


def test_without_javascript_a_correction_is_sent_from_a_page_of_its_own(browser, live_server, column):
    from playwright.sync_api import expect

    from episodes.models import Correction

    make_episode(column, 1, transcript="今天聊聊价格站。")
    context = local_context(browser, live_server, java_script_enabled=False)
    reader = context.new_page()
    reader.goto(f"{live_server.url}/business/1/")

    reader.get_by_role("link", name="纠错").focus()
    reader.keyboard.press("Enter")
    expect(reader).to_have_url(re.compile(r"/business/1/correct/[0-9a-f]{16}/$"))
    reader.get_by_label("建议改为").fill("今天聊聊价格战。")
    reader.get_by_role("button", name="提交纠错").click()

    assert reader.get_by_role("heading", level=1).inner_text() == "谢谢您的纠错"
    assert Correction.objects.get().proposed == "今天聊聊价格战。"
    context.close()


def test_the_search_box_offers_the_titles_search_puts_first(page, live_server, column):
    make_episode(column, 1, title="【产经破壁机001】芯片产业的下一步", transcript="芯片。")
    make_episode(column, 2, title="【产经破壁机002】光伏", transcript="光伏。")
    page.goto(f"{live_server.url}/search/")

    page.locator("#search-q").press_sequentially("芯片")

    options = page.locator("#search-q-suggestions option")
    options.first.wait_for(state="attached")
    assert [option.get_attribute("value") for option in options.all()] == [
        "【产经破壁机001】芯片产业的下一步"
    ]
    assert page.locator("#search-q").get_attribute("list") == "search-q-suggestions"


def test_the_headers_search_box_offers_titles_on_every_page(page, live_server, column):
    make_episode(column, 1, title="【产经破壁机001】芯片产业的下一步", transcript="芯片。")
    page.goto(f"{live_server.url}/business/1/")

    page.get_by_role("search", name="全站搜索").get_by_role("combobox").press_sequentially("芯片")

    options = page.locator("#header-search-q-suggestions option")
    options.first.wait_for(state="attached")
    assert [option.get_attribute("value") for option in options.all()] == [
        "【产经破壁机001】芯片产业的下一步"
    ]
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("heading", name="【产经破壁机001】芯片产业的下一步").is_visible()
