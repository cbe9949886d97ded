"""Reading the column in a real browser: the wiki's three zones on a wide screen, a drawer on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browsers import local_context
from tests.factories import make_episode

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TRANSCRIPT = "\n\n".join(
    f"# {section}. 第{section}部分\n\n"
    + "\n\n".join(f"第{section}部分的第{line}段，" + "说了很多话。" * 30 for line in range(8))
    for section in range(1, 5)
)


def reading_page(browser, live_server, width, **options):
    context = local_context(browser, live_server, viewport={"width": width, "height": 900}, **options)
    return context.new_page()


@pytest.fixture
def long_episode(column):
    for number in (1, 2, 3):
        make_episode(
            column,
            number,
            tags=["芯片"],
            tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "mxm7Vf6YPjo")],
            transcript=LONG_TRANSCRIPT,
        )


def test_wide_screens_show_the_navigation_the_text_and_the_contents_side_by_side(
    browser, live_server, long_episode
):
    page = reading_page(browser, live_server, 1440)
    page.goto(f"{live_server.url}/business/2/")

    navigation = page.get_by_role("navigation", name="站点导航")
    text = page.locator(".transcript")
    contents = page.locator(".page-aside").get_by_role("navigation", name="目录")
    assert navigation.bounding_box()["x"] + navigation.bounding_box()["width"] <= text.bounding_box()["x"]
    assert contents.bounding_box()["x"] >= text.bounding_box()["x"] + text.bounding_box()["width"]
    # The column is open at the episode's range, the episode marked among its neighbours.
    expect(navigation.locator("[aria-current=page]")).to_have_text("2 第2期")
    expect(navigation.get_by_role("link", name="1 第1期")).to_be_visible()
    # Headings keep their own numbers; the list adds none.
    assert contents.locator("ol").evaluate("list => getComputedStyle(list).listStyleType") == "none"

    page.locator("[id='3-第3部分']").scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    expect(contents.locator("[aria-current]")).to_have_text("3. 第3部分")
    assert 0 <= contents.bounding_box()["y"] < 900
    assert page.context.csp_violations == []


LAYOUT_SHIFTS = """
    window.layoutShifts = [];
    new PerformanceObserver(list => {
        for (const shift of list.getEntries()) {
            window.layoutShifts.push(...shift.sources.map(source => source.node && source.node.outerHTML.slice(0, 80)));
        }
    }).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("width", [390, 1440])
def test_nothing_on_an_episode_page_moves_once_shown(browser, live_server, long_episode, width):
    page = reading_page(browser, live_server, width)
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(f"{live_server.url}/business/1/")

    # The scripts have set up the tabs, the pin button and the contents' marking by now.
    expect(page.locator(".player-tabs.is-enhanced")).to_have_count(1)
    page.wait_for_load_state("load")
    assert page.evaluate("window.layoutShifts") == []


def test_a_pinned_player_stays_in_view_and_is_remembered(browser, live_server, long_episode):
    page = reading_page(browser, live_server, 1440)
    page.goto(f"{live_server.url}/business/1/")
    player = page.locator('[role="tabpanel"]:not([hidden]) iframe')

    pin = page.get_by_role("button", name="固定播放器")
    pin.click()
    expect(pin).to_have_attribute("aria-pressed", "true")
    page.locator("[id='4-第4部分']").scroll_into_view_if_needed()
    box = player.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900 and box["width"] > 200

    # The choice holds for the session's next page, and unpinning lets the player scroll away.
    page.goto(f"{live_server.url}/business/2/")
    pin = page.get_by_role("button", name="固定播放器")
    expect(pin).to_have_attribute("aria-pressed", "true")
    pin.click()
    page.locator("[id='4-第4部分']").scroll_into_view_if_needed()
    assert player.bounding_box()["y"] + player.bounding_box()["height"] < 0
    assert "autoplay=1" not in player.get_attribute("src")


def test_a_whole_transcript_copied_holds_exactly_its_text(browser, live_server, column):
    make_episode(
        column,
        1,
        transcript="<font color=indigo>主持人</font>：第一段。\n\n第二段。\n\n![图](https://img.example.org/a.png)",
    )
    page = reading_page(browser, live_server, 1440)
    page.goto(f"{live_server.url}/business/1/")
    transcript = page.locator(".transcript")

    copied = transcript.evaluate(
        """text => { const range = document.createRange(); range.selectNodeContents(text);
        const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
        return selection.toString(); }"""
    )

    assert copied.split() == ["主持人：第一段。", "第二段。"]
    # Each paragraph's control is named after it; an image alone has none.
    links = transcript.get_by_role("link", name="纠错")
    expect(links).to_have_count(2)
    expect(links.first).to_have_accessible_name("纠错：第 1 段")


def test_a_correction_link_shows_on_its_paragraph_only(browser, live_server, column):
    make_episode(column, 1, transcript="第一段。\n\n第二段。")
    page = reading_page(browser, live_server, 1440)
    page.goto(f"{live_server.url}/business/1/")
    first, second = page.locator(".transcript a.suggest-correction").all()

    page.locator(".transcript p").first.hover()
    assert first.evaluate("link => getComputedStyle(link).opacity") == "1"
    assert second.evaluate("link => getComputedStyle(link).opacity") == "0"
    second.focus()
    assert second.evaluate("link => getComputedStyle(link).opacity") == "1"


@pytest.mark.parametrize(
    "path", ["/", "/business/", "/business/1/", "/tags/芯片/", "/search/?q=芯片", "/status/"]
)
def test_on_a_phone_nothing_is_wider_than_the_screen(browser, live_server, column, path):
    from column.models import Page

    column.description = "原始地址：https://www.example.org/" + "a-very-long-address-without-spaces" * 4
    column.save()
    make_episode(
        column,
        1,
        tags=["芯片"],
        transcript="芯片。\n\n| 年份 | 产量 | 备注 | 更多 | 再多 |\n|---|---|---|---|---|\n"
        + "| 2023 | 7988 / 77 | 很长的备注文字很长的备注文字 | 很长的备注文字很长的备注文字 | 很长的备注文字很长的备注文字 |\n\n"
        + "https://www.example.org/"
        + "another-very-long-address" * 5,
    )
    Page.objects.create(path="status", title="当前进度", body="https://www.example.org/" + "x" * 200)
    page = reading_page(browser, live_server, 390, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 64


def test_on_a_phone_the_drawer_opens_and_closes_from_the_keyboard(browser, live_server, long_episode):
    page = reading_page(browser, live_server, 390)
    page.goto(f"{live_server.url}/business/1/")
    navigation = page.get_by_role("navigation", name="站点导航")
    opener = page.get_by_role("button", name="栏目")
    expect(navigation).to_be_hidden()

    opener.focus()
    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(navigation.locator("[aria-current=page]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(navigation).to_be_hidden()
    expect(opener).to_be_focused()

    page.keyboard.press(" ")
    expect(navigation).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # its close control comes first
    expect(navigation).to_be_hidden()


def test_without_javascript_the_drawer_is_a_link_to_the_navigation(browser, live_server, long_episode):
    page = reading_page(browser, live_server, 390, java_script_enabled=False)
    page.goto(f"{live_server.url}/business/1/")

    page.get_by_role("link", name="栏目").click()
    navigation = page.get_by_role("navigation", name="站点导航")
    expect(navigation).to_be_visible()
    navigation.get_by_role("link", name="关闭").click()
    expect(navigation).to_be_hidden()
