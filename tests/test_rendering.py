import pytest
from django.urls import reverse

from episodes.models import Episode
from markup.render import RenderRefused, render_markdown
from tests.factories import episode_form
from tests.html_safety import executable_vectors


@pytest.mark.parametrize("kind", ["info", "warning", "success", "danger"])
def test_blockquote_followed_by_class_line_becomes_a_callout(kind):
    html = render_markdown(f"> 以下文本为音频转录结果，存在一定错误，校对正在进行中。\n{{.is-{kind}}}")

    assert (
        html
        == f'<blockquote class="is-{kind}">\n<p>以下文本为音频转录结果，存在一定错误，校对正在进行中。</p>\n</blockquote>'
    )


def test_multi_paragraph_callout_keeps_its_paragraphs():
    html = render_markdown("> 第一段\n> \n> 第二段\n{.is-info}\n\n正文")

    assert html.startswith('<blockquote class="is-info">\n<p>第一段</p>\n<p>第二段</p>\n</blockquote>')
    assert html.endswith("<p>正文</p>")


def test_links_list_class_applies_to_the_list():
    html = render_markdown("- [**86** *标题*](/business/86)\n- [**85** *标题*](/business/85)\n{.links-list}")

    assert html.startswith('<ul class="links-list">')
    assert "{.links-list}" not in html


def test_speaker_highlight_keeps_its_colour_and_single_newlines_break_lines():
    html = render_markdown('<font color="indigo">主持人：</font>第一行\n第二行')

    assert '<span class="ink-indigo">主持人：</span>' in html
    assert "第一行<br>\n第二行" in html


def test_tables_and_footnotes_survive():
    html = render_markdown("| 年份 | 收入 |\n|:--|--:|\n| 2023 | 10 |\n\n正文[^1]\n\n[^1]: 来源")

    assert '<th align="left">年份</th>' in html
    assert '<td align="right">10</td>' in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html


def test_wiki_inline_markup_survives():
    html = render_markdown(
        "<center>居中</center>\n\n<u>下划线</u> <kbd>Ctrl</kbd> 换行<br>之后\n\n![图](https://img.example.org/a.png)"
    )

    for fragment in ['<div class="align-center">居中</div>', "<u>下划线</u>", "<kbd>Ctrl</kbd>", "<br>"]:
        assert fragment in html
    assert '<img alt="图" src="https://img.example.org/a.png"' in html


def test_headings_get_ids_for_chinese_text():
    assert render_markdown("# 开店的账怎么算") == '<h1 id="开店的账怎么算">开店的账怎么算</h1>'


HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    "[点我](javascript:alert(1))",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<div onclick="alert(1)">x</div>',
    '<font color="indigo" onmouseover="alert(1)">x</font>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<form action="https://evil.example"><button>提交</button></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "段落\n{: onclick=alert(1) }",
    "> 提示\n{.is-warning onclick=alert(1)}",
    "<!--><script>alert(1)</script>-->",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](javascript:alert(1))",
]


@pytest.mark.parametrize("source", HOSTILE_INPUTS)
def test_hostile_markup_renders_without_executable_vectors(source):
    html = render_markdown(source)

    assert executable_vectors(html) == []
    assert "alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("written", "ink"),
    [
        ("indigo", "ink-indigo"),
        ("Red", "ink-red"),
        ("darkblue", "ink-blue"),
        ("grey", "ink-gray"),
        ("#f00", "ink-red"),
        ("#1b8a2a", "ink-green"),
        ("salmon", "ink-black"),
    ],
)
def test_speaker_colours_become_inks_of_the_palette_in_valid_html(written, ink):
    html = render_markdown(f"<font color={written}>主持人</font>：好")

    assert f'<span class="{ink}">主持人</span>：好' in html
    assert "<font" not in html and "</font>" not in html


def test_obsolete_and_invalid_html_of_the_wiki_becomes_valid():
    html = render_markdown(
        "<font size=3>字</font> [链接](<https://example.org/a b>)\n\n"
        '<iframe src="https://player.bilibili.com/player.html?bvid=BV1nezJYfEPc" allowfullscreen="true"></iframe>'
    )

    assert "<span>字</span>" in html
    assert 'href="https://example.org/a%20b"' in html
    assert 'allowfullscreen=""' in html and 'allowfullscreen="true"' not in html


def test_font_colour_is_limited_to_colour_values():
    html = render_markdown('<font color="red;background:url(x)">x</font>')

    assert "background" not in html


@pytest.mark.parametrize(
    ("source", "link"),
    [
        ("详见https://example.com/a_b?x=1。然后", '<a href="https://example.com/a_b?x=1"'),
        (
            "网址 www.bilibili.com/video/BV1nezJYfEPc ，",
            '<a href="http://www.bilibili.com/video/BV1nezJYfEPc"',
        ),
        (
            "(https://example.org/a).",
            '(<a href="https://example.org/a" rel="noopener noreferrer">https://example.org/a</a>).',
        ),
    ],
)
def test_bare_web_addresses_become_links_as_in_the_wiki(source, link):
    assert link in render_markdown(source)


def test_addresses_already_in_links_or_code_stay_as_they_are():
    html = render_markdown('<a href="https://x.org">https://x.org</a> [文字](https://y.org) `https://z.org`')

    assert html.count("<a ") == 2
    assert "<code>https://z.org</code>" in html


def test_relative_wiki_links_resolve_against_the_page_folder():
    html = render_markdown(
        "[上一期](./50.md) [睡前消息](../main/201-300/201.md#开头) [旧路径](/main/301-400/323)",
        wiki_path="business/51",
    )

    assert 'href="/business/50"' in html
    assert 'href="/main/201-300/201#开头"' in html
    assert 'href="/main/301-400/323"' in html


PATHOLOGICAL = {
    "8,000 [": "[" * 8_000,
    "unclosed <a, 180 kB": "<a " * 60_000,
    "nested ![ and [^": "![[^" * 20_000,
    "1 MB of [": "[" * 1_000_000,
}


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_brackets_that_never_close_are_refused_before_rendering(source):
    with pytest.raises(RenderRefused, match=r"never close|characters"):
        render_markdown(source)


def test_a_paragraph_of_unclosed_brackets_is_refused_at_its_line():
    with pytest.raises(RenderRefused, match="at line 3 has 600 “\\[”"):
        render_markdown("第一段\n\n" + "[链接" * 600)

    assert render_markdown("[链接" * 400 + "\n\n" + "[链接" * 400).count("[链接") == 800


# Balanced markup that still takes Python-Markdown about a second here, and longer on a slower machine.
SLOW_TO_RENDER = {
    "deep quotes": ">" * 100_000 + "x",
    "deep divs": "<div>" * 100_000,
    "400 kB of emphasis": "*a" * 200_000,
}


@pytest.mark.parametrize("source", SLOW_TO_RENDER.values(), ids=SLOW_TO_RENDER.keys())
def test_a_text_that_overruns_the_deadline_is_refused(settings, source):
    # A hundredth of a second: far less than these take, however fast the machine.
    settings.MARKDOWN_RENDER_SECONDS = 0.01

    with pytest.raises(RenderRefused, match=r"rendered within 0\.01 s"):
        render_markdown(source)


def test_ordinary_text_renders_after_a_refusal(settings):
    settings.MARKDOWN_RENDER_SECONDS = 0.01
    with pytest.raises(RenderRefused):
        render_markdown("<div>" * 100_000)
    settings.MARKDOWN_RENDER_SECONDS = 30

    assert render_markdown("正文 [链接](https://example.org)").startswith(
        '<p>正文 <a href="https://example.org"'
    )


def test_the_admin_refuses_a_transcript_it_cannot_render(admin_client, column):
    response = admin_client.post(
        reverse("admin:episodes_episode_add"), episode_form(column, **{"transcript-0-source": "[" * 20_000})
    )

    assert response.status_code == 200
    assert "无法排版" in response.content.decode()
    assert not Episode.objects.exists()
