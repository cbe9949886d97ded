import http.server
import re
import socket
import threading
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from embed_video.backends import detect_backend

from episodes.models import Embed, Episode
from episodes.players import normalise_player_link
from tests.admin_forms import FormFields
from tests.factories import episode_form, make_episode
from tests.servers import free_port

BILIBILI_PLAYER = "https://player.bilibili.com/player.html?bvid=BV1nezJYfEPc&page={page}&high_quality=1&danmaku=1&autoplay=0"


def player(link):
    return detect_backend(normalise_player_link(link))


@pytest.mark.parametrize(
    "link",
    [
        "https://www.bilibili.com/video/BV1nezJYfEPc",
        "https://www.bilibili.com/video/BV1nezJYfEPc/?spm_id_from=333.999.0.0",
        "https://m.bilibili.com/video/BV1nezJYfEPc",
        "//player.bilibili.com/player.html?bvid=BV1nezJYfEPc&page=1",
        "//player.bilibili.com/player.html?&bvid=BV1nezJYfEPc&page=1&as_wide=1&high_quality=1&danmaku=1&autoplay=0",
        "https://player.bilibili.com/player.html?bvid=BV1nezJYfEPc",
        "BV1nezJYfEPc",
        '<iframe src="//player.bilibili.com/player.html?&amp;bvid=BV1nezJYfEPc&amp;page=1" allowfullscreen></iframe>',
    ],
)
def test_bilibili_links_become_the_official_player(link):
    backend = player(link)

    assert backend.platform == "bilibili"
    assert backend.get_url() == BILIBILI_PLAYER.format(page=1)
    assert backend.page_url == "https://www.bilibili.com/video/BV1nezJYfEPc/"


def test_bilibili_keeps_the_part_of_a_multi_part_video():
    assert player("https://www.bilibili.com/video/BV1nezJYfEPc/?p=3").get_url() == BILIBILI_PLAYER.format(
        page=3
    )
    assert player("//player.bilibili.com/player.html?bvid=BV1nezJYfEPc&page=2").get_url() == (
        BILIBILI_PLAYER.format(page=2)
    )


def test_bilibili_player_by_aid():
    backend = player("//player.bilibili.com/player.html?aid=170001&page=1")

    assert backend.get_url().startswith("https://player.bilibili.com/player.html?aid=170001&page=1")
    assert backend.page_url == "https://www.bilibili.com/video/av170001/"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.youtube.com/watch?v=mxm7Vf6YPjo",
        "https://www.youtube.com/watch?v=mxm7Vf6YPjo&t=42s",
        "https://youtu.be/mxm7Vf6YPjo",
        "https://www.youtube.com/embed/mxm7Vf6YPjo",
        "https://www.youtube-nocookie.com/embed/mxm7Vf6YPjo",
        "https://www.youtube.com/shorts/mxm7Vf6YPjo",
        "https://m.youtube.com/watch?v=mxm7Vf6YPjo",
        "mxm7Vf6YPjo",
    ],
)
def test_youtube_links_play_from_youtube_nocookie(link):
    backend = player(link)

    assert backend.platform == "youtube"
    assert backend.get_url() == "https://www.youtube-nocookie.com/embed/mxm7Vf6YPjo"
    assert backend.page_url == "https://www.youtube.com/watch?v=mxm7Vf6YPjo"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.ixigua.com/7181234567890123456",
        "https://www.ixigua.com/iframe/7181234567890123456",
        "https://www.ixigua.com/iframe/7181234567890123456?autoplay=0",
        "//www.ixigua.com/iframe/7181234567890123456?autoplay=0",
    ],
)
def test_xigua_links(link):
    backend = player(link)

    assert backend.platform == "xigua"
    assert backend.get_url() == "https://www.ixigua.com/iframe/7181234567890123456?autoplay=0"


@pytest.mark.parametrize(
    "link", ["https://media.example.org/ep/12.mp3", "https://cdn.example.org/a.m4a?sig=1"]
)
def test_podcast_audio_files(link):
    backend = player(link)

    assert backend.platform == "podcast"
    assert backend.is_audio
    assert backend.get_url() == link


def test_a_link_inside_a_share_text_or_without_its_scheme_is_found():
    shared = "【【产经破壁机051】商汤科技怎么了？-哔哩哔哩】 https://www.bilibili.com/video/BV1nezJYfEPc?share_source=copy"

    assert normalise_player_link(shared) == "https://www.bilibili.com/video/BV1nezJYfEPc/"
    assert normalise_player_link("www.bilibili.com/video/BV1nezJYfEPc") == (
        "https://www.bilibili.com/video/BV1nezJYfEPc/"
    )


SUPPORTED_SITES = (
    "B站（bilibili.com）、YouTube（youtube.com、youtu.be、youtube-nocookie.com）、西瓜视频（ixigua.com）"
)


@pytest.mark.parametrize(
    ("link", "code", "message"),
    [
        # The editors' wiki templates: the name of the id, or an id of one repeated character.
        ("BV号", "placeholder", "“BV号”是模板里的占位符，不是视频"),
        ("BV1xxxxxxxxx", "placeholder", "“BV1xxxxxxxxx”是模板里的占位符"),
        ("YouTubeVID", "placeholder", "“YouTubeVID”是模板里的占位符"),
        ("视频ID", "placeholder", "“视频ID”是模板里的占位符"),
        (
            "//player.bilibili.com/player.html?&bvid=BV号&page=1",
            "placeholder",
            "B站链接中找不到视频号（BV 号）：“BV号”是模板里的占位符",
        ),
        ("https://www.bilibili.com/video/BV1xxxxxxxxx/", "placeholder", "“BV1xxxxxxxxx”是模板里的占位符"),
        ("https://www.bilibili.com/video/BV%E5%8F%B7/", "placeholder", "“BV号”是模板里的占位符"),
        (
            "https://www.youtube-nocookie.com/embed/YouTubeVID",
            "placeholder",
            "YouTube 链接中找不到 11 位的视频 ID：“YouTubeVID”是模板里的占位符",
        ),
        ("https://www.youtube.com/watch?v=YoutubeVID", "placeholder", "“YoutubeVID”是模板里的占位符"),
        (
            "https://www.ixigua.com/iframe/西瓜视频ID?autoplay=0",
            "placeholder",
            "西瓜视频链接中找不到数字视频 ID：“西瓜视频ID”是模板里的占位符",
        ),
        # A known site, but no video.
        (
            "https://www.bilibili.com/",
            "no_video_id",
            "B站链接中找不到视频号（BV 号）：https://www.bilibili.com/",
        ),
        ("https://www.bilibili.com/video/", "no_video_id", "B站链接中找不到视频号（BV 号）"),
        ("https://space.bilibili.com/12345", "no_video_id", "B站链接中找不到视频号（BV 号）"),
        ("https://www.youtube-nocookie.com/embed/", "no_video_id", "YouTube 链接中找不到 11 位的视频 ID"),
        ("https://www.youtube.com/@someone", "no_video_id", "YouTube 链接中找不到 11 位的视频 ID"),
        ("https://www.ixigua.com/home/123", "no_video_id", "西瓜视频链接中找不到数字视频 ID"),
        # Another site, named, with the ones we take.
        (
            "https://example.com/video",
            "unsupported_site",
            f"不支持 example.com 的链接。支持的网站：{SUPPORTED_SITES}",
        ),
        ("https://vimeo.com/76979871", "unsupported_site", "不支持 vimeo.com 的链接"),
        ("https://example.com/video.mp4", "unsupported_site", "播客请粘贴 mp3 / m4a 音频文件的地址"),
        (
            "http://player.bilibili.com.evil.example/player.html?bvid=BV1nezJYfEPc",
            "unsupported_site",
            "不支持 player.bilibili.com.evil.example 的链接",
        ),
        (
            '<iframe src="https://evil.example/embed"></iframe>',
            "unsupported_site",
            "不支持 evil.example 的链接",
        ),
        ("javascript:alert(1)", "not_a_link", "“javascript:alert(1)”不是链接"),
        ("视频还没有上传，" * 20, "not_a_link", "上传，视...”不是链接"),
        # Expanding a short link is for the admin's save alone (see below), never for an import or a page.
        ("https://b23.tv/AbCdEf1", "short_link", "是短链接，这里不能展开"),
    ],
)
def test_each_refusal_says_what_is_wrong(link, code, message):
    with pytest.raises(ValidationError) as error:
        normalise_player_link(link)

    assert error.value.code == code
    assert message in error.value.messages[0]


# Through the admin, as an editor saves an episode.


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    yield client
    # A request leaves its language active in the thread; later tests expect the default.
    translation.deactivate()


def with_link(column, link, **overrides):
    """The admin's new-episode form with `link` pasted in its first tab."""
    return episode_form(column, **{"tabs-0-url": link}, **overrides)


def field_errors(response, name):
    """The messages shown on one field of the admin's form, as an editor reads them."""
    errors = re.search(
        rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return [unescape(message) for message in re.findall(r"<li>(.*?)</li>", errors.group(1))] if errors else []


def recognised_beside(response, name):
    found = re.search(
        rf'<span class="player-link-recognised" id="id_{name}-recognised">(.*?)</span>',
        response.content.decode(),
    )
    return unescape(found.group(1)) if found else None


def posted_value(response, name):
    fields = FormFields()
    fields.feed(response.content.decode())
    return dict(fields.fields)[name]


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("BV号", "“BV号”是模板里的占位符，不是视频。请换成这期视频的链接（或 BV 号、YouTube ID）。"),
        (
            "BV1xxxxxxxxx",
            "“BV1xxxxxxxxx”是模板里的占位符，不是视频。请换成这期视频的链接（或 BV 号、YouTube ID）。",
        ),
        (
            "https://example.com/video",
            f"不支持 example.com 的链接。支持的网站：{SUPPORTED_SITES}；播客请粘贴 mp3 / m4a 音频文件的地址。",
        ),
        ("https://www.bilibili.com/", "B站链接中找不到视频号（BV 号）：https://www.bilibili.com/"),
    ],
)
def test_the_admin_shows_each_refusal_on_the_link(editor_client, column, link, message):
    response = editor_client.post(reverse("admin:episodes_episode_add"), with_link(column, link))

    assert response.status_code == 200
    assert field_errors(response, "tabs-0-url") == [message]
    assert not Episode.objects.exists()


def test_an_english_admin_gives_the_refusal_in_english(editor_client, column):
    response = editor_client.post(
        reverse("admin:episodes_episode_add"), with_link(column, "BV号"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert field_errors(response, "tabs-0-url") == [
        "“BV号” is a placeholder from the template, not a video. "
        "Replace it with this episode's video link (or its BV number or YouTube ID)."
    ]


def test_the_platform_and_video_id_are_shown_beside_a_saved_link(editor_client, column):
    episode = make_episode(column, 1, tabs=[("B站", "https://www.bilibili.com/video/BV1ab411c7mD/?p=2")])

    response = editor_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))

    assert recognised_beside(response, "tabs-0-url") == "B站 · BV1ab411c7mD"
    assert re.search(r'aria-describedby="[^"]*\bid_tabs-0-url-recognised"', response.content.decode())


def test_a_redisplayed_form_shows_the_link_as_it_will_be_stored(editor_client, column):
    pasted = '<iframe src="//www.youtube-nocookie.com/embed/mxm7Vf6YPjo" allowfullscreen></iframe>'

    response = editor_client.post(reverse("admin:episodes_episode_add"), with_link(column, pasted, title=""))

    assert response.status_code == 200
    assert posted_value(response, "tabs-0-url") == "https://www.youtube.com/watch?v=mxm7Vf6YPjo"
    assert recognised_beside(response, "tabs-0-url") == "YouTube · mxm7Vf6YPjo"
    assert recognised_beside(response, "tabs-1-url") == "YouTube · mxm7Vf6YPjo"


def test_a_refused_link_is_shown_as_pasted_with_nothing_recognised(editor_client, column):
    response = editor_client.post(reverse("admin:episodes_episode_add"), with_link(column, "BV号"))

    assert posted_value(response, "tabs-0-url") == "BV号"
    assert recognised_beside(response, "tabs-0-url") is None


# Short links: a local server stands in for b23.tv.


class ShortLinkService(http.server.BaseHTTPRequestHandler):
    """Redirects each short code it knows, as b23.tv does; any other is not found."""

    redirects = {
        "AbCdEf1": "https://www.bilibili.com/video/BV1ab411c7mD?share_medium=android&share_source=copy&p=1",
        "LiveRm1": "https://live.bilibili.com/21452505?broadcast_type=0",
    }

    def do_GET(self):
        self.server.asked.append(self.path)
        target = self.redirects.get(self.path.lstrip("/"))
        self.send_response(302 if target else 404)
        if target:
            self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def short_links(settings):
    """The stand-in service, with the short links of b23.tv sent to it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ShortLinkService)
    server.asked = []
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    settings.PLAYER_SHORT_LINK_BASE = f"http://127.0.0.1:{server.server_port}/"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


ASK_FOR_THE_FULL_LINK = "请在浏览器里打开这个视频，把地址栏里的完整链接粘贴到这里。"


def test_a_short_link_is_saved_as_the_video_it_leads_to(editor_client, column, short_links):
    response = editor_client.post(
        reverse("admin:episodes_episode_add"), with_link(column, "https://b23.tv/AbCdEf1")
    )

    assert response.status_code == 302
    assert Embed.objects.get(tab__label="B站").url == "https://www.bilibili.com/video/BV1ab411c7mD/"
    episode = Episode.objects.get()
    page = editor_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    assert recognised_beside(page, "tabs-0-url") == "B站 · BV1ab411c7mD"
    assert editor_client.get(episode.get_absolute_url()).status_code == 200
    # Asked once, by the save: neither deciding what changed nor showing the pages asks again.
    assert short_links.asked == ["/AbCdEf1"]


def test_a_short_link_in_the_apps_share_text_is_expanded(editor_client, column, short_links):
    shared = "【【产经破壁机051】商汤科技怎么了？-哔哩哔哩】 https://b23.tv/AbCdEf1"

    response = editor_client.post(reverse("admin:episodes_episode_add"), with_link(column, shared))

    assert response.status_code == 302
    assert Embed.objects.get(tab__label="B站").url == "https://www.bilibili.com/video/BV1ab411c7mD/"


def test_a_redisplayed_form_keeps_the_expanded_link_and_saving_it_asks_nothing_again(
    editor_client, column, short_links
):
    add = reverse("admin:episodes_episode_add")

    redisplayed = editor_client.post(add, with_link(column, "https://b23.tv/AbCdEf1", title=""))
    link = posted_value(redisplayed, "tabs-0-url")
    editor_client.post(add, with_link(column, link))

    assert link == "https://www.bilibili.com/video/BV1ab411c7mD/"
    assert recognised_beside(redisplayed, "tabs-0-url") == "B站 · BV1ab411c7mD"
    assert Embed.objects.get(tab__label="B站").url == link
    assert short_links.asked == ["/AbCdEf1"]


def test_a_short_link_to_something_other_than_a_video_is_refused(editor_client, column, short_links):
    response = editor_client.post(
        reverse("admin:episodes_episode_add"), with_link(column, "https://b23.tv/LiveRm1")
    )

    assert field_errors(response, "tabs-0-url") == [
        "短链接 https://b23.tv/LiveRm1 跳转到的不是 B站视频，而是 live.bilibili.com/21452505。"
        + ASK_FOR_THE_FULL_LINK
    ]
    assert not Episode.objects.exists()


def test_a_short_link_the_service_does_not_know_is_refused(editor_client, column, short_links):
    response = editor_client.post(
        reverse("admin:episodes_episode_add"), with_link(column, "https://b23.tv/Gone404")
    )

    assert field_errors(response, "tabs-0-url") == [
        "短链接 https://b23.tv/Gone404 没有跳转到视频（短链接服务回答 404）。" + ASK_FOR_THE_FULL_LINK
    ]
    assert short_links.asked == ["/Gone404"]


def test_offline_a_short_link_asks_for_the_full_link(editor_client, column, settings):
    settings.PLAYER_SHORT_LINK_BASE = f"http://127.0.0.1:{free_port()}/"  # nothing listens there

    response = editor_client.post(
        reverse("admin:episodes_episode_add"), with_link(column, "https://b23.tv/AbCdEf1")
    )

    assert field_errors(response, "tabs-0-url") == [
        "现在连不上 b23.tv，短链接 https://b23.tv/AbCdEf1 无法展开。" + ASK_FOR_THE_FULL_LINK
    ]


def test_a_short_link_service_that_does_not_answer_in_time_is_given_up(editor_client, column, settings):
    with socket.socket() as silent:
        # It takes the connection (the system's backlog does) and never answers.
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.PLAYER_SHORT_LINK_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        settings.PLAYER_SHORT_LINK_TIMEOUT = 0.2

        response = editor_client.post(
            reverse("admin:episodes_episode_add"), with_link(column, "https://b23.tv/AbCdEf1")
        )

    assert field_errors(response, "tabs-0-url") == [
        "现在连不上 b23.tv，短链接 https://b23.tv/AbCdEf1 无法展开。" + ASK_FOR_THE_FULL_LINK
    ]
    assert not Episode.objects.exists()
