import pytest
from django.urls import reverse
from django.utils import translation

from episodes.models import Episode
from tests.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request leaves its language active in the thread; later tests expect the default."""
    yield
    translation.deactivate()


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
    # The correction dialog's script takes its words from the page.
    assert 'data-close-label="Close"' in html and 'data-send-failed="The correction could not' in html
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


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def admin_pages(client, column):
    make_episode(column, 1, status=Episode.Status.DRAFT)
    changelist = client.get(reverse("admin:episodes_episode_changelist")).content.decode()
    add_form = client.get(reverse("admin:episodes_episode_add")).content.decode()
    return changelist, add_form


def test_the_admin_is_chinese_by_default(editor_client, column):
    changelist, add_form = admin_pages(editor_client, column)

    assert "栏目文稿管理" in changelist and "校对状态" in changelist
    assert "用逗号分隔多个标签。" in add_form and "在栏目内唯一，出现在网址中。留空则使用期数。" in add_form
    assert "Episodes" not in changelist and "Separate tags with commas." not in add_form


def test_editors_who_choose_english_get_an_english_admin(editor_client, column):
    editor_client.get("/language/en/")

    changelist, add_form = admin_pages(editor_client, column)

    assert "Column transcripts administration" in changelist
    assert "Select episode to change" in changelist and "&rsaquo; Episodes" in changelist
    assert "Proofreading status" in changelist and "Submit for review" in changelist
    assert "Add episode" in add_form and "Separate tags with commas." in add_form
    assert "Unique within the column, used in the address. Leave empty to use the number." in add_form
    for chinese in ["栏目文稿管理", "节目", "校对状态", "提交审核", "用逗号分隔多个标签", "期数", "网址名"]:
        assert chinese not in changelist + add_form, chinese


def test_admin_messages_follow_the_editors_language(editor_client, column):
    episode = make_episode(column, 1, status=Episode.Status.DRAFT)
    editor_client.get("/language/en/")

    response = editor_client.post(
        reverse("admin:episodes_episode_changelist"),
        {"action": "publish_selected", "_selected_action": [episode.pk]},
        follow=True,
    )

    assert "1 episode published." in response.content.decode()
