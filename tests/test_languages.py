import pytest

from tests.factories import make_episode

pytestmark = pytest.mark.django_db


def test_chinese_is_the_default_interface(client, column):
    make_episode(column, 1)

    html = client.get("/business/1/").content.decode()

    assert '<html lang="zh-Hans">' in html
    assert "跳到正文" in html and "最后编辑" in html


def test_footer_switch_changes_the_interface_to_english_and_back(client, column):
    make_episode(column, 1, title="【产经破壁机001】内容保持原文", published_at=None)

    home = client.get("/").content.decode()
    assert 'href="/language/en/?next=/"' in home and ">English<" in home

    response = client.get("/language/en/", {"next": "/business/1/"})
    assert response.status_code == 302 and response["Location"] == "/business/1/"

    html = client.get("/business/1/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html and "Last edited" in html
    assert "【产经破壁机001】内容保持原文" in html  # content stays as written
    assert ">简体中文<" in html

    client.get("/language/zh-hans/")
    assert "跳到正文" in client.get("/business/1/").content.decode()


def test_dates_follow_the_readers_language(client, column):
    from datetime import UTC, datetime

    make_episode(column, 1, published_at=datetime(2024, 11, 30, 12, tzinfo=UTC))

    assert "2024年11月30日" in client.get("/business/1/").content.decode()
    client.get("/language/en/")
    assert "Nov. 30, 2024" in client.get("/business/1/").content.decode()


def test_browsers_asking_for_english_get_it(client, column):
    make_episode(column, 1)

    html = client.get("/business/1/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()

    assert "Skip to content" in html


def test_switch_refuses_to_send_readers_elsewhere(client):
    response = client.get("/language/en/", {"next": "https://evil.example/"})

    assert response["Location"] == "/"
    assert client.get("/language/xx/").cookies.get("django_language") is None
