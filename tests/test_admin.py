import pytest
from django.urls import reverse

from episodes.models import Embed, Episode, Tab, Transcript, Warning
from markup.transcripts import paragraph_key
from tests.factories import BILIBILI, episode_form, formset_management, make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_add_page_shows_the_inlines(editor_client):
    response = editor_client.get(reverse("admin:episodes_episode_add"))

    html = response.content.decode()
    assert response.status_code == 200
    for prefix in ["tabs", "warnings", "transcript"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert 'name="tabs-__prefix__-url"' in html
    assert "栏目文稿管理" in html


def test_adding_an_episode_through_the_admin_saves_tabs_players_warning_and_transcript(editor_client, column):
    response = editor_client.post(reverse("admin:episodes_episode_add"), episode_form(column))

    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    episode = Episode.objects.get()
    assert episode.slug == "51"
    assert episode.is_public()
    assert sorted(episode.tags.names()) == ["人工智能", "商汤"]
    assert [(tab.label, tab.embed.url) for tab in episode.tabs.all()] == [
        ("B站", "https://www.bilibili.com/video/BV1nezJYfEPc/"),
        ("YouTube", "https://www.youtube.com/watch?v=mxm7Vf6YPjo"),
    ]
    assert episode.warnings.get().kind == "warning"
    assert '<span class="ink-indigo">主持人</span>' in episode.transcript.html
    assert editor_client.get("/business/51/").status_code == 200


def test_publishing_without_a_time_publishes_now(editor_client, column):
    data = episode_form(column, published_at_0="", published_at_1="")

    editor_client.post(reverse("admin:episodes_episode_add"), data)

    assert Episode.objects.get().is_public()


def test_unsupported_player_link_is_a_form_error_and_saves_nothing(editor_client, column):
    data = episode_form(column, **{"tabs-1-url": "https://www.youtube-nocookie.com/embed/YouTubeVID"})

    response = editor_client.post(reverse("admin:episodes_episode_add"), data)

    assert response.status_code == 200
    assert "YouTube 链接中找不到 11 位的视频 ID" in response.content.decode()
    assert not Episode.objects.exists()
    assert not Tab.objects.exists()


def test_change_page_shows_the_stored_player_link_and_edits_it(editor_client, column):
    episode = make_episode(column, 51, tabs=[("B站", "BV1nezJYfEPc"), ("YouTube", "")])
    tabs = list(episode.tabs.all())
    url = reverse("admin:episodes_episode_change", args=[episode.pk])

    html = editor_client.get(url).content.decode()
    assert 'value="https://www.bilibili.com/video/BV1nezJYfEPc/"' in html

    data = episode_form(
        column,
        **formset_management("tabs", 2, initial=2),
        **{"tabs-0-id": tabs[0].pk, "tabs-0-episode": episode.pk, "tabs-0-url": ""},
        **{"tabs-1-id": tabs[1].pk, "tabs-1-episode": episode.pk, "tabs-1-url": "mxm7Vf6YPjo"},
        **formset_management("transcript", 1, initial=1),
        **{"transcript-0-id": episode.transcript.pk, "transcript-0-episode": episode.pk},
        **{"transcript-0-status": "proofread", "transcript-0-source": "校对后的文稿"},
    )
    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert not Embed.objects.filter(tab=tabs[0]).exists()
    assert Embed.objects.get(tab=tabs[1]).url == "https://www.youtube.com/watch?v=mxm7Vf6YPjo"
    transcript = Transcript.objects.get(episode=episode)
    key = paragraph_key("校对后的文稿")
    assert (transcript.status, transcript.html) == (
        "proofread",
        f'<p data-paragraph="{key}">校对后的文稿</p>',
    )
    assert Warning.objects.filter(episode=episode).count() == 1


def test_episode_list_filters_and_searches(editor_client, column):
    make_episode(column, 1, title="【产经破壁机001】政府送编制", transcript="学生不敢要")
    make_episode(column, 2, title="【产经破壁机002】无人驾驶", status=Episode.Status.DRAFT)
    changelist = reverse("admin:episodes_episode_changelist")

    drafts = editor_client.get(changelist, {"status__exact": "draft"}).content.decode()
    found = editor_client.get(changelist, {"q": "学生不敢要"}).content.decode()

    assert "无人驾驶" in drafts and "政府送编制" not in drafts
    assert "政府送编制" in found and "无人驾驶" not in found


def test_view_on_site_leads_to_the_public_page(editor_client, column):
    episode = make_episode(column, 5)

    html = editor_client.get(reverse("admin:episodes_episode_change", args=[episode.pk])).content.decode()

    assert "/r/" in html and "viewsitelink" in html
    assert episode.get_absolute_url() == "/business/5/"


def test_tag_field_suggests_tags_already_in_use(editor_client, column):
    make_episode(column, 1, tags=["芯片", "光伏"])

    html = editor_client.get(reverse("admin:episodes_episode_add")).content.decode()

    assert 'list="id_tags-suggestions"' in html
    assert '<option value="芯片" data-tag="芯片">' in html
    assert "episodes/tag-suggestions.js" in html


def test_column_admin_edits_notices_inline(editor_client):
    data = {
        "name": "产经破壁机",
        "slug": "business",
        "description": "分布式马督工",
        "about": "",
        "position": "0",
        "episode_title_pattern": "【产经破壁机{number:03}】",
        "default_tab_labels": "B站, YouTube",
        "default_warning": "以下文本为音频转录结果。",
        **formset_management("notices", 1),
        "notices-0-kind": "info",
        "notices-0-text": "【产经破壁机】为音频转录。",
        "notices-0-position": "0",
    }

    response = editor_client.post(reverse("admin:column_column_add"), data)

    assert response.status_code == 302
    html = editor_client.get("/business/").content.decode()
    assert '<blockquote class="is-info"><p>【产经破壁机】为音频转录。</p></blockquote>' in html


def test_site_page_is_edited_in_the_admin_and_served_at_its_path(editor_client, client):
    data = {
        "path": "status",
        "title": "当前进度",
        "description": "",
        "body": "> 进行中\n{.is-info}",
        "is_published": "on",
    }

    response = editor_client.post(reverse("admin:column_page_add"), data)

    assert response.status_code == 302
    assert '<blockquote class="is-info">' in client.get("/status/").content.decode()


def test_a_tab_added_later_goes_after_the_others(column):
    episode = make_episode(column, 1, tabs=[("B站", BILIBILI), ("YouTube", "")])

    added = Tab.objects.create(episode=episode, label="播客")

    assert added.position == 2
    assert [tab.label for tab in episode.tabs.all()] == ["B站", "YouTube", "播客"]
