"""What the pages tell machines and readers around the content: meta tags, structured data, navigation."""

import json
import re

import pytest

from episodes.models import Episode
from tests.factories import make_episode

pytestmark = pytest.mark.django_db


def structured_data(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_episode_page_has_canonical_social_cards_and_a_video_object_per_player(client, column):
    make_episode(
        column,
        1,
        title="【产经破壁机001】芯片</title><script>",
        description="讲芯片的一期",
        tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "mxm7Vf6YPjo")],
    )

    html = client.get("/business/1/").content.decode()

    assert '<link rel="canonical" href="http://testserver/business/1/">' in html
    assert '<meta property="og:title" content="【产经破壁机001】芯片&lt;/title&gt;&lt;script&gt;">' in html
    assert '<meta property="og:description" content="讲芯片的一期">' in html
    assert '<meta property="og:image" content="https://i.ytimg.com/vi/mxm7Vf6YPjo/hqdefault.jpg">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    videos = structured_data(html)
    assert [video["@type"] for video in videos] == ["VideoObject", "VideoObject"]
    assert videos[0]["embedUrl"].startswith("https://player.bilibili.com/player.html?bvid=BV1nezJYfEPc")
    assert videos[1]["embedUrl"] == "https://www.youtube-nocookie.com/embed/mxm7Vf6YPjo"
    assert videos[0]["uploadDate"] and videos[0]["description"] == "讲芯片的一期"
    assert "</script><script>" not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]


def test_without_a_youtube_cover_the_card_uses_the_site_image(client, column):
    make_episode(column, 1, tabs=[("B站", "BV1nezJYfEPc")])

    html = client.get("/business/1/").content.decode()

    assert '<meta property="og:image" content="http://testserver/static/img/social-card.png">' in html


def test_breadcrumbs_contents_and_last_edited_date(client, column):
    make_episode(
        column,
        1,
        title="【产经破壁机001】标题",
        transcript="# 第一部分\n\n正文\n\n## 细节\n\n正文\n\n# 第二部分\n\n正文",
    )

    html = client.get("/business/1/").content.decode()

    # Back to the part of the column that lists the episode.
    assert (
        '<a href="/business/?range=1-100">产经破壁机</a>' in html
        and '<li aria-current="page">标题</li>' in html
    )
    assert '<a href="#第一部分">第一部分</a>' in html
    # Levels indented by depth below the highest.
    assert '<li class="contents-depth-0"><a href="#第一部分">第一部分</a></li>' in html
    assert '<li class="contents-depth-1"><a href="#细节">细节</a></li>' in html
    assert '<h1 id="第二部分">第二部分</h1>' in html
    assert "最后编辑" in html


def test_home_has_a_tag_cloud_of_public_episodes_and_a_search_form(client, column):
    make_episode(column, 1, tags=["芯片", "光伏"])
    make_episode(column, 2, tags=["芯片"])
    make_episode(column, 3, tags=["秘密"], status=Episode.Status.DRAFT)

    html = client.get("/").content.decode()

    cloud = html.split("热门标签", 1)[1]
    assert cloud.index("#芯片") < cloud.index("#光伏")
    assert '<span class="tag-count">2</span>' in cloud
    assert "秘密" not in html
    assert 'role="search"' in html


def test_column_pages_list_one_range_at_a_time_with_an_index_of_all(client, column):
    for number in range(1, 106):
        make_episode(column, number, tags=[])
    make_episode(column, -1, tags=[], slug="special")

    first = client.get("/business/").content.decode()
    older = client.get("/business/", {"range": "1-100"}).content.decode()
    specials = client.get("/business/", {"range": "specials"}).content.decode()

    # The newest range first, every range (with its count) one step away, and groups of ten never split.
    assert ">101 - 110<" in first and "/business/105/" in first and "/business/100/" not in first
    assert 'href="?range=1-100">1–100 <span class="range-count">100</span>' in first
    assert 'href="?range=specials">特别节目' in first
    assert ">91 - 100<" in older and ">1 - 10<" in older and "/business/101/" not in older
    assert "/business/special/" in specials and "/business/1/" not in specials
