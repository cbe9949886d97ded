from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from episodes.models import Episode
from tests.factories import make_column, make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def episodes(column):
    make_episode(
        column,
        1,
        title="【产经破壁机001】芯片",
        description="讲芯片的一期",
        tags=["芯片", "半导体"],
        tabs=[("B站", "BV1nezJYfEPc"), ("播客", "https://media.example.org/1.mp3")],
    )
    make_episode(column, 2, title="【产经破壁机002】草稿", tags=["芯片"], status=Episode.Status.DRAFT)
    make_episode(
        column,
        3,
        title="【产经破壁机003】定时",
        tags=["芯片"],
        published_at=timezone.now() + timedelta(days=1),
    )
    make_episode(column, 4, title="【产经破壁机004】撤回", tags=["芯片"]).unpublish()
    other = make_column(slug="main", name="睡前消息")
    make_episode(other, 5, title="【睡前消息005】别的栏目", tags=["光伏"])


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_lists_public_episodes_with_tags_and_players(client, episodes, kind):
    feed = parse(client, f"/feeds/{kind}/")

    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert [entry.title for entry in feed.entries] == ["【睡前消息005】别的栏目", "【产经破壁机001】芯片"]
    entry = feed.entries[1]
    assert entry.link.endswith("/business/1/")
    assert sorted(tag.term for tag in entry.tags) == ["半导体", "芯片"]
    assert "https://www.bilibili.com/video/BV1nezJYfEPc/" in entry.summary
    assert entry.published_parsed
    assert [link.href for link in entry.links if link.rel == "enclosure"] == [
        "https://media.example.org/1.mp3"
    ]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_column_and_tag_feeds(client, episodes, kind):
    column_feed = parse(client, f"/feeds/columns/business/{kind}/")
    tag_feed = parse(client, f"/feeds/tags/芯片/{kind}/")

    assert [entry.title for entry in column_feed.entries] == ["【产经破壁机001】芯片"]
    assert column_feed.feed.title.startswith("产经破壁机")
    assert (
        column_feed.feed.subtitle == "产经破壁机"
    )  # a column without a description is described by its name
    assert [entry.title for entry in tag_feed.entries] == ["【产经破壁机001】芯片"]
    assert tag_feed.feed.title.startswith("#芯片")


def test_feed_text_is_escaped_once(client, column):
    column.name = "R&D 与 <研发>"
    column.save()
    make_episode(column, 1, title="【R&D001】<芯片> & 光刻")

    feed = parse(client, "/feeds/columns/business/atom/")

    assert feed.feed.subtitle == "R&D 与 <研发>"
    assert feed.entries[0].title == "【R&D001】<芯片> & 光刻"


def test_unknown_column_or_tag_feed_is_not_found(client, episodes):
    assert client.get("/feeds/columns/nowhere/rss/").status_code == 404
    assert client.get("/feeds/tags/nowhere/rss/").status_code == 404


def test_pages_advertise_their_feeds(client, episodes):
    assert 'type="application/rss+xml"' in client.get("/").content.decode()
    assert 'href="/feeds/columns/business/atom/"' in client.get("/business/").content.decode()
    assert 'href="/feeds/tags/%E8%8A%AF%E7%89%87/rss/"' in client.get("/tags/芯片/").content.decode()


def test_sitemap_lists_public_episodes_columns_tags_and_pages(client, episodes):
    from column.models import Page

    Page.objects.create(path="status", title="当前进度", body="进度")
    Page.objects.create(path="template/main", title="模板", is_published=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/business/1/</loc>" in xml
    assert "<loc>http://testserver/main/5/</loc>" in xml
    for hidden in ["/business/2/", "/business/3/", "/business/4/", "template/main"]:
        assert hidden not in xml
    assert "<loc>http://testserver/business/</loc>" in xml
    assert "<loc>http://testserver/tags/%E8%8A%AF%E7%89%87/</loc>" in xml
    assert "<loc>http://testserver/status/</loc>" in xml
    assert xml.count("<lastmod>") == xml.count("<url>")


def test_tag_of_hidden_episodes_only_stays_out_of_the_sitemap(client, column):
    make_episode(column, 1, tags=["秘密"], status=Episode.Status.DRAFT)

    assert "%E7%A7%98%E5%AF%86" not in client.get("/sitemap.xml").content.decode()


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /search/" in response.content.decode()
    assert "Disallow: /*/*/correct/" in response.content.decode()
    # The admin's address may be secret (ADMIN_URL); robots.txt does not give it away.
    assert "admin" not in response.content.decode()
