"""The editorial workflow: roles against actions, states, proofreading, revisions, conflicts, preview."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from column.models import Column
from episodes.models import Episode, Transcript
from episodes.roles import EDITOR, PROOFREADER, PUBLISHER
from tests.factories import formset_management, make_episode
from tests.wikijs_trees import page, run_import, write_tree

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:episodes_episode_changelist")
ADD = reverse("admin:episodes_episode_add")


def change_url(episode):
    return reverse("admin:episodes_episode_change", args=[episode.pk])


@pytest.fixture
def login(client):
    def login_as(role):
        user = User.objects.create_user(role.lower(), password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return login_as


def change_form(episode, **changes):
    """What the change form posts for `episode`, with `changes` applied."""
    tabs = list(episode.tabs.all())
    data = {
        "column": episode.column_id,
        "number": episode.number,
        "slug": episode.slug,
        "title": episode.title,
        "description": episode.description,
        "tags": ", ".join(episode.tags.names()),
        "status": episode.status,
        "published_at_0": "",
        "published_at_1": "",
        "loaded_version": Episode.objects.get(pk=episode.pk).updated_at.isoformat(),
        **formset_management("tabs", len(tabs), len(tabs)),
        **formset_management("warnings", 0, 0),
        **formset_management("transcript", 1, 1),
        "transcript-0-id": episode.transcript.pk,
        "transcript-0-episode": episode.pk,
        "transcript-0-status": episode.transcript.status,
        "transcript-0-source": episode.transcript.source,
    }
    for index, tab in enumerate(tabs):
        data.update(
            {
                f"tabs-{index}-id": tab.pk,
                f"tabs-{index}-episode": episode.pk,
                f"tabs-{index}-label": tab.label,
                f"tabs-{index}-url": tab.url,
                f"tabs-{index}-position": tab.position,
            }
        )
    if episode.published_at:
        local = timezone.localtime(episode.published_at)
        data.update({"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"})
    data.update(changes)
    return data


def run_action(client, action, *episodes):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [e.pk for e in episodes]})


# Roles against actions -------------------------------------------------------


def test_editor_creates_drafts_and_submits_them_but_cannot_publish(login, column):
    client = login(EDITOR)
    episode = make_episode(column, 1, status=Episode.Status.DRAFT)

    assert client.get(ADD).status_code == 200
    response = client.post(change_url(episode), change_form(episode, status="published"))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.DRAFT

    assert (
        client.post(change_url(episode), change_form(episode, status="review", title="新标题")).status_code
        == 302
    )
    episode.refresh_from_db()
    assert (episode.status, episode.title) == (Episode.Status.REVIEW, "新标题")


def test_editor_cannot_schedule_unpublish_or_delete(login, column):
    client = login(EDITOR)
    episode = make_episode(column, 1)
    moment = timezone.localtime(timezone.now() + timedelta(days=3))

    client.post(
        change_url(episode),
        change_form(episode, status="draft", published_at_0=f"{moment:%Y-%m-%d}", published_at_1="10:00:00"),
    )
    assert Episode.objects.get(pk=episode.pk).is_public()

    for action in ["publish_selected", "unpublish_selected", "delete_selected"]:
        run_action(client, action, episode)
        assert Episode.objects.get(pk=episode.pk).is_public(), action
    delete = reverse("admin:episodes_episode_delete", args=[episode.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_editor_submits_for_review_in_bulk(login, column):
    client = login(EDITOR)
    drafts = [make_episode(column, n, status=Episode.Status.DRAFT) for n in (1, 2)]

    run_action(client, "submit_for_review", *drafts)

    assert set(Episode.objects.values_list("status", flat=True)) == {Episode.Status.REVIEW}


def test_proofreader_changes_the_transcript_only(login, column):
    client = login(PROOFREADER)
    episode = make_episode(column, 1, status=Episode.Status.REVIEW, tabs=[("B站", "BV1nezJYfEPc")])

    html = client.get(change_url(episode)).content.decode()
    assert 'name="title"' not in html
    assert 'name="tabs-0-url"' not in html
    assert 'name="transcript-0-source"' in html

    data = change_form(
        episode,
        title="改标题",
        status="published",
        **{"tabs-0-url": "mxm7Vf6YPjo", "transcript-0-source": "校对后", "transcript-0-status": "proofread"},
    )
    assert client.post(change_url(episode), data).status_code == 302

    episode = Episode.objects.get(pk=episode.pk)
    assert (episode.title, episode.status) == ("【产经破壁机001】第1期", Episode.Status.REVIEW)
    assert episode.tabs.get().url == "https://www.bilibili.com/video/BV1nezJYfEPc/"
    assert (episode.transcript.source, episode.transcript.status) == ("校对后", "proofread")
    assert client.get(ADD).status_code == 403


def test_proofreader_marks_proofread_in_bulk_but_cannot_publish_or_submit(login, column):
    client = login(PROOFREADER)
    episode = make_episode(column, 1, status=Episode.Status.DRAFT)

    for action in ["publish_selected", "submit_for_review"]:
        run_action(client, action, episode)
    run_action(client, "mark_proofread", episode)

    episode = Episode.objects.get(pk=episode.pk)
    assert episode.status == Episode.Status.DRAFT
    assert episode.transcript.status == Transcript.Status.PROOFREAD


def test_publisher_publishes_schedules_unpublishes_and_deletes(login, column):
    client = login(PUBLISHER)
    first = make_episode(column, 1, status=Episode.Status.REVIEW)
    second = make_episode(column, 2, status=Episode.Status.REVIEW)

    client.post(change_url(first), change_form(first, status="published"))
    assert Episode.objects.get(pk=first.pk).is_public()

    moment = timezone.localtime(timezone.now() + timedelta(days=3)).replace(microsecond=0)
    client.post(
        change_url(second),
        change_form(
            second,
            status="published",
            published_at_0=f"{moment:%Y-%m-%d}",
            published_at_1=f"{moment:%H:%M:%S}",
        ),
    )
    second.refresh_from_db()
    assert (second.is_scheduled, second.published_at) == (True, moment)
    assert "已排期" in client.get(CHANGELIST).content.decode()

    run_action(client, "unpublish_selected", first)
    assert Episode.objects.get(pk=first.pk).status == Episode.Status.DRAFT
    client.post(reverse("admin:episodes_episode_delete", args=[first.pk]), {"post": "yes"})
    assert not Episode.objects.filter(pk=first.pk).exists()


def test_staff_without_a_role_gets_nowhere(client, column):
    episode = make_episode(column, 1)
    client.force_login(User.objects.create_user("nobody", password="x", is_staff=True))

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(episode)).status_code == 403
    assert client.post(change_url(episode), change_form(episode, title="x")).status_code == 403


# Scheduling ------------------------------------------------------------------


def test_scheduled_episode_appears_everywhere_at_its_time(client, column):
    make_episode(column, 1, title="【产经破壁机001】早一期", tags=["共同"])
    moment = timezone.now() + timedelta(hours=2)
    make_episode(column, 2, title="【产经破壁机002】定时的一期", tags=["共同"], published_at=moment)
    surfaces = ["/", "/business/", "/tags/共同/", "/business/1/"]

    assert client.get("/business/2/").status_code == 404
    for url in surfaces:
        assert "定时的一期" not in client.get(url).content.decode(), url

    with time_machine.travel(moment + timedelta(minutes=1)):
        assert client.get("/business/2/").status_code == 200
        for url in surfaces:
            assert "定时的一期" in client.get(url).content.decode(), url


# Proofreading drives the warning ---------------------------------------------


def test_standard_warning_follows_the_proofreading_status(client, column):
    episode = make_episode(column, 1)
    warning = "以下文本为音频转录结果，存在一定错误，校对正在进行中。"

    transcript = Transcript.objects.get(episode=episode)
    for status, shown in [("machine", True), ("proofreading", True), ("proofread", False)]:
        transcript.status = status
        transcript.save()
        assert (warning in client.get("/business/1/").content.decode()) is shown, status


# Revisions and conflicts -----------------------------------------------------


def test_every_admin_save_is_a_revision_that_can_be_compared_and_restored(login, column):
    client = login(PUBLISHER)
    episode = make_episode(column, 1, transcript="商汤科技裁员了。")
    client.post(change_url(episode), change_form(episode, **{"transcript-0-source": "商汤科技裁员了。"}))
    client.post(
        change_url(episode),
        change_form(
            episode,
            title="新标题",
            revision_comment="改正错字",
            **{"transcript-0-source": "商汤集团裁员了。"},
        ),
    )

    history = client.get(reverse("admin:episodes_episode_history", args=[episode.pk])).content.decode()
    assert history.count(">查看改动</a>") == 2 and "改正错字" in history and "publisher" in history

    versions = list(Version.objects.get_for_object(episode))
    compare = client.get(reverse("admin:episodes_episode_compare", args=[episode.pk, versions[0].pk]))
    assert "商汤<del>科技</del><ins>集团</ins>裁员了。" in compare.content.decode()

    client.post(reverse("admin:episodes_episode_restore", args=[episode.pk, versions[1].pk]))
    episode = Episode.objects.get(pk=episode.pk)
    assert (episode.title, episode.transcript.source) == ("【产经破壁机001】第1期", "商汤科技裁员了。")
    assert episode.is_public()
    assert (
        "恢复到" in client.get(reverse("admin:episodes_episode_history", args=[episode.pk])).content.decode()
    )


def test_the_history_names_states_and_shows_players_a_line_each(login, column):
    client = login(PUBLISHER)
    episode = make_episode(column, 1, transcript="正文。")
    client.post(change_url(episode), change_form(episode, description="之前"))
    client.post(
        change_url(episode),
        change_form(episode, **{"transcript-0-status": "proofreading", "tabs-0-url": "BV1ab411c7mD"}),
    )

    latest = Version.objects.get_for_object(episode).first()
    html = client.get(
        reverse("admin:episodes_episode_compare", args=[episode.pk, latest.pk])
    ).content.decode()

    machine, proofreading = Transcript.Status.MACHINE.label, Transcript.Status.PROOFREADING.label
    assert f"<td>{machine}</td><td>{proofreading}</td>" in html
    assert "B站：https://www.bilibili.com/video/BV1ab411c7mD/" in html
    assert "proofreading" not in html.replace('name="', "")


def test_second_editor_saving_a_stale_copy_gets_a_conflict(login, column):
    client = login(EDITOR)
    episode = make_episode(column, 1, status=Episode.Status.DRAFT)
    stale = change_form(episode, title="第二个人的标题")
    client.post(change_url(episode), change_form(episode, title="第一个人的标题"))

    response = client.post(change_url(episode), stale)

    assert response.status_code == 200
    assert "已经保存了新的修改" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).title == "第一个人的标题"


THREE_PARAGRAPHS = "第一段。\n\n第二段。\n\n第三段。"


def conflicting_edits(client, column, theirs, mine):
    """Two editors open one episode; the other one saves `theirs` first; returns the stale form with `mine`."""
    episode = make_episode(column, 1, status=Episode.Status.DRAFT, transcript=THREE_PARAGRAPHS)
    # The version both open is one of the episode's revisions.
    client.post(change_url(episode), change_form(episode, description="两人打开前的简介"))
    stale = change_form(episode, **mine)
    assert client.post(change_url(episode), change_form(episode, **theirs)).status_code == 302
    return episode, stale


def test_a_conflict_shows_the_other_persons_change_and_reapplies_ones_own_on_top(login, column):
    client = login(EDITOR)
    episode, stale = conflicting_edits(
        client,
        column,
        theirs={"title": "对方的标题", "transcript-0-source": "第一段，对方改过。\n\n第二段。\n\n第三段。"},
        mine={"transcript-0-source": "第一段。\r\n\r\n第二段。\r\n\r\n第三段，我改过。"},
    )

    conflict = client.post(change_url(episode), stale).content.decode()
    assert "对方的改动" in conflict and "对方的标题" in conflict
    assert "第一段<ins>，对方改过</ins>。" in conflict
    assert 'name="_reapply"' in conflict

    response = client.post(change_url(episode), {**stale, "_reapply": "1"})

    assert response.status_code == 302, response.content.decode()
    episode.refresh_from_db()
    assert episode.title == "对方的标题"
    assert episode.transcript.source == "第一段，对方改过。\n\n第二段。\n\n第三段，我改过。"


def test_reapplying_keeps_the_players_the_other_person_changed(login, column):
    client = login(EDITOR)
    episode, stale = conflicting_edits(
        client,
        column,
        theirs={"tabs-0-label": "哔哩哔哩", "tabs-0-url": "BV1ab411c7mD"},
        mine={"transcript-0-source": "第一段。\n\n第二段，我改过。\n\n第三段。"},
    )

    assert client.post(change_url(episode), {**stale, "_reapply": "1"}).status_code == 302

    tab = episode.tabs.get(position=0)
    assert (tab.label, tab.url) == ("哔哩哔哩", "https://www.bilibili.com/video/BV1ab411c7mD/")
    assert Episode.objects.get(pk=episode.pk).transcript.source == "第一段。\n\n第二段，我改过。\n\n第三段。"


def test_reapplying_an_edit_of_the_same_paragraph_names_the_overlap_and_saves_nothing(login, column):
    client = login(EDITOR)
    episode, stale = conflicting_edits(
        client,
        column,
        theirs={"transcript-0-source": "第一段，对方改过。\n\n第二段。\n\n第三段。"},
        mine={"title": "我的标题", "transcript-0-source": "第一段，我也改过。\n\n第二段。\n\n第三段。"},
    )

    response = client.post(change_url(episode), {**stale, "_reapply": "1"})

    html = response.content.decode()
    assert response.status_code == 200 and "你和对方改了同一处：文稿" in html
    episode.refresh_from_db()
    assert episode.transcript.source.startswith("第一段，对方改过。") and episode.title != "我的标题"
    # The form now stands on their version: saving it again is the editor's deliberate choice.
    assert (
        client.post(
            change_url(episode), {**stale, "loaded_version": episode.updated_at.isoformat()}
        ).status_code
        == 302
    )
    episode.refresh_from_db()
    assert episode.title == "我的标题"


# Preview, template, working lists --------------------------------------------


def test_staff_preview_drafts_at_their_public_address(client, login, column):
    make_episode(column, 1, status=Episode.Status.DRAFT, title="【产经破壁机001】草稿")
    assert client.get("/business/1/").status_code == 404

    response = login(EDITOR).get("/business/1/")

    assert response.status_code == 200
    assert "预览" in response.content.decode() and "草稿" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_new_episode_starts_from_the_column_template(login, column):
    make_episode(column, 51)

    html = login(EDITOR).get(ADD, {"column": column.pk}).content.decode()

    assert 'name="number" value="52"' in html
    assert 'value="【产经破壁机052】"' in html
    assert 'name="tabs-0-label" value="B站"' in html and 'name="tabs-1-label" value="YouTube"' in html


def test_an_imported_column_titles_new_episodes_as_its_episodes_are_titled(login, tree):
    run_import(tree)
    column = Column.objects.get(slug="business")
    make_episode(column, 13.5, title="【产经破壁机特别节目】不算数的一期")

    html = login(EDITOR).get(ADD, {"column": column.pk}).content.decode()

    assert 'name="number" value="100"' in html and 'value="【产经破壁机100】"' in html
    assert Column.objects.get(pk=column.pk).episode_title_pattern == "【产经破壁机{number:03}】"


def test_a_column_whose_titles_follow_no_pattern_gets_none(tmp_path):
    write_tree(
        tmp_path / "wiki",
        {
            "daily.md": page("每日"),
            "daily/1.md": page("2023-10-12"),
            "daily/2.md": page("第二天的消息"),
        },
    )
    run_import(tmp_path / "wiki")
    assert Column.objects.get(slug="daily").episode_title_pattern == ""


def test_the_new_episode_form_says_the_standard_warning_is_automatic_and_refuses_a_copy(login, column):
    client = login(EDITOR)
    episode = make_episode(column, 1, status=Episode.Status.DRAFT)
    assert "自动显示栏目的标准校对提示" in client.get(change_url(episode)).content.decode()
    copied = "以下文本为音频转录结果，存在一定错误，\r\n校对正在进行中。 "

    response = client.post(
        change_url(episode),
        change_form(
            episode,
            **formset_management("warnings", 1, 0),
            **{"warnings-0-kind": "warning", "warnings-0-text": copied, "warnings-0-position": "0"},
        ),
    )

    assert response.status_code == 200
    assert "这是栏目的标准校对提示" in response.content.decode()
    assert not episode.warnings.exists()


def test_transcript_preview_uses_the_public_pipeline(login):
    client = login(PROOFREADER)

    response = client.post(
        reverse("admin:episodes_episode_preview_markdown"),
        {"source": "> 注意\n{.is-info}\n\n<script>x</script>正文"},
    )

    html = response.json()["html"]
    assert html.startswith('<blockquote class="is-info">\n<p>注意</p>\n</blockquote>')
    assert html.endswith("<p>正文</p>") and "script" not in html
    assert response.json()["characters"] == len("注意正文")


def test_dashboard_counts_states_and_lists_waiting_transcripts_and_changes(login, column):
    make_episode(column, 1)
    make_episode(column, 2, status=Episode.Status.DRAFT)
    make_episode(column, 3, published_at=timezone.now() + timedelta(days=1))
    client = login(PUBLISHER)
    episode = Episode.objects.get(number=2)
    client.post(change_url(episode), change_form(episode, revision_comment="补充简介"))

    html = client.get(reverse("admin:index")).content.decode()

    assert "各栏目进度" in html
    counts = client.get(reverse("admin:index")).context["dashboard"]["columns"].get()
    assert (counts.draft, counts.review, counts.scheduled, counts.live, counts.machine) == (1, 0, 1, 1, 3)
    assert "等待校对最久的文稿" in html and "【产经破壁机001】第1期" in html
    assert "补充简介" in html


def test_the_preview_says_where_each_paragraph_starts_as_the_browser_counts(login):
    client = login(PROOFREADER)
    source = "第一段😀。\n\n<font color=indigo>主持人：</font>第二段。"

    response = client.post(reverse("admin:episodes_episode_preview_markdown"), {"source": source})

    starts = response.json()["paragraphs"]
    # The emoji is two UTF-16 code units, as a textarea's selectionStart counts it.
    assert [offset for offset, _ in starts] == [0, len("第一段😀。") + 1 + 2]
    html = response.json()["html"]
    assert all(f'data-paragraph="{key}"' in html for _, key in starts)
    assert response.json()["characters"] == len("第一段😀。主持人：第二段。")
