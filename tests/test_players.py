import pytest
from django.core.exceptions import ValidationError
from embed_video.backends import detect_backend

from episodes.players import normalise_player_link

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


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("BV号", "不支持的链接"),
        ("//player.bilibili.com/player.html?&bvid=BV号&page=1", "BV 号"),
        ("https://www.bilibili.com/video/", "BV 号"),
        ("https://www.youtube-nocookie.com/embed/YouTubeVID", "YouTube"),
        ("https://www.youtube-nocookie.com/embed/YoutubeVID", "YouTube"),
        ("https://www.youtube-nocookie.com/embed/", "YouTube"),
        ("https://www.ixigua.com/iframe/西瓜视频ID?autoplay=0", "西瓜视频"),
        ("https://vimeo.com/76979871", "不支持的链接"),
        ("https://example.com/video.mp4", "不支持的链接"),
        ("javascript:alert(1)", "不支持的链接"),
        ("http://player.bilibili.com.evil.example/player.html?bvid=BV1nezJYfEPc", "不支持的链接"),
        ('<iframe src="https://evil.example/embed"></iframe>', "不支持的链接"),
    ],
)
def test_unsupported_or_placeholder_links_are_rejected_with_a_message(link, message):
    with pytest.raises(ValidationError) as error:
        normalise_player_link(link)

    assert message in error.value.messages[0]
