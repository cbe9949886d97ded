"""Cached public pages: served for the cost of one query, never stale, revalidated with ETags."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from taggit.models import Tag

from episodes.models import Episode
from tests.factories import make_episode

pytestmark = pytest.mark.django_db

SURFACES = [
    "/",
    "/business/",
    "/business/1/",
    "/tags/芯片/",
    "/feeds/rss/",
    "/sitemap.xml",
    "/search/?q=芯片",
]


@pytest.fixture
def episode(column):
    return make_episode(column, 1, title="【产经破壁机001】旧标题", tags=["芯片"], transcript="芯片")


def test_anonymous_pages_carry_an_etag_and_a_shared_cache_lifetime(client, episode):
    response = client.get("/business/1/")

    assert response["ETag"].startswith('"')
    assert "public" in response["Cache-Control"] and "s-maxage=60" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_a_matching_etag_gets_304(client, episode):
    etag = client.get("/business/1/")["ETag"]

    response = client.get("/business/1/", headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("url", SURFACES)
def test_a_change_made_elsewhere_shows_on_the_next_request(client, episode, url):
    # The sitemap dates its pages in the site's time zone, where the day may already be tomorrow.
    old, new = (
        ("旧标题", "新标题")
        if url != "/sitemap.xml"
        else (f"{timezone.localdate(episode.updated_at):%Y-%m-%d}", "2020-01-02")
    )
    assert old in client.get(url).content.decode()
    etag = client.get(url)["ETag"]

    # As another process would: straight to the database, no signal, no cache call here.
    edited = (
        timezone.now() if url != "/sitemap.xml" else timezone.make_aware(timezone.datetime(2020, 1, 2, 12))
    )
    Episode.objects.filter(pk=episode.pk).update(title="【产经破壁机001】新标题", updated_at=edited)

    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert new in response.content.decode(), url


@pytest.mark.parametrize("url", ["/", "/business/", "/tags/芯片/", "/feeds/rss/"])
def test_a_scheduled_episode_appears_in_cached_pages_when_its_time_comes(client, episode, url):
    moment = timezone.now() + timedelta(hours=1)
    make_episode(episode.column, 2, title="【产经破壁机002】定时的一期", tags=["芯片"], published_at=moment)
    assert "定时的一期" not in client.get(url).content.decode()

    with time_machine.travel(moment + timedelta(minutes=1)):
        assert "定时的一期" in client.get(url).content.decode(), url


def test_a_deleted_episode_leaves_the_cached_pages(client, episode):
    assert "旧标题" in client.get("/business/").content.decode()

    Episode.objects.filter(pk=episode.pk).delete()

    assert "旧标题" not in client.get("/business/").content.decode()


def test_staff_and_previews_are_never_cached(client, admin_user, episode):
    make_episode(episode.column, 2, title="【产经破壁机002】草稿", status=Episode.Status.DRAFT)
    client.force_login(admin_user)

    preview = client.get("/business/2/")
    public = client.get("/business/1/")

    assert "no-cache" in preview["Cache-Control"] and "ETag" not in preview
    assert "public" not in public.get("Cache-Control", "") and "ETag" not in public
    client.logout()
    assert client.get("/business/2/").status_code == 404


def test_each_language_has_its_own_cached_page(client, episode):
    assert "跳到正文" in client.get("/business/1/").content.decode()

    client.get("/language/en/")

    assert "Skip to content" in client.get("/business/1/").content.decode()


@pytest.mark.parametrize(
    "url, edit, shown",
    [
        ("/business/1/", lambda episode: Tag.objects.filter(name="芯片").update(name="半导体"), "#半导体"),
        ("/business/1/", lambda episode: episode.tabs.update(label="哔哩哔哩"), "哔哩哔哩"),
        (
            "/business/",
            lambda episode: episode.column.notices.create(text="本栏目暂停更新。"),
            "本栏目暂停更新",
        ),
    ],
    ids=["tag renamed", "tab relabelled", "column notice added"],
)
def test_a_write_to_any_content_table_shows_without_touching_the_episode(client, episode, url, edit, shown):
    assert shown not in client.get(url).content.decode()

    # Straight to the database, leaving the episode's own row and its update time alone.
    edit(episode)

    assert shown in client.get(url).content.decode()
