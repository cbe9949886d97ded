"""Every admin address and action, tried by every role: each gets exactly what its role allows.

The matrix below is the policy (episodes/roles.py) written as expectations:
for each admin page, which roles may open it. Object addresses are the
ones an attacker would guess: other people's users, a column's deletion,
an episode's history and restore. Everyone else gets 403, or the login
page when not staff at all.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from column.models import Page
from episodes.models import Correction, Episode
from episodes.roles import EDITOR, PROOFREADER, PUBLISHER
from markup.transcripts import paragraph_key
from tests.factories import make_column, make_episode

pytestmark = pytest.mark.django_db

ROLES = [EDITOR, PROOFREADER, PUBLISHER, "staff without a role", "reader"]
EVERY_ROLE = {EDITOR, PROOFREADER, PUBLISHER}


@pytest.fixture
def site(column, admin_user):
    other = make_column(slug="main", name="睡前消息")
    episode = make_episode(column, 1, status=Episode.Status.DRAFT)
    published = make_episode(other, 2)
    page = Page.objects.create(path="status", title="状态", body="正文")
    correction = Correction.objects.create(
        episode=published,
        paragraph_key=paragraph_key("正文"),
        original="正文",
        proposed="正文。",
        address_hash="0",
    )
    return {"column": column, "other": other, "episode": episode, "published": published, "page": page,
            "correction": correction, "admin": admin_user}  # fmt: skip


def log_in(client, role):
    if role == "reader":
        user = User.objects.create_user("reader", password="x")
    else:
        user = User.objects.create_user("staff", password="x", is_staff=True)
        if role in EVERY_ROLE:
            user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


def matrix(site):
    episode, column, page, admin = site["episode"], site["column"], site["page"], site["admin"]
    correction = site["correction"]
    return [
        ("admin:index", [], EVERY_ROLE | {"staff without a role"}),
        ("admin:episodes_episode_changelist", [], EVERY_ROLE),
        ("admin:episodes_episode_add", [], {EDITOR, PUBLISHER}),
        ("admin:episodes_episode_change", [episode.pk], EVERY_ROLE),
        ("admin:episodes_episode_history", [episode.pk], EVERY_ROLE),
        ("admin:episodes_episode_delete", [episode.pk], {PUBLISHER}),
        ("wikijs:import", [], {PUBLISHER}),
        ("admin:episodes_correction_changelist", [], EVERY_ROLE),
        ("admin:episodes_correction_change", [correction.pk], EVERY_ROLE),  # read-only for editors
        ("admin:episodes_correction_delete", [correction.pk], {PROOFREADER, PUBLISHER}),
        ("admin:column_column_changelist", [], EVERY_ROLE),
        ("admin:column_column_add", [], {PUBLISHER}),
        ("admin:column_column_change", [column.pk], EVERY_ROLE),  # read-only for editors and proofreaders
        ("admin:column_column_delete", [column.pk], {PUBLISHER}),
        ("admin:column_page_changelist", [], {PUBLISHER}),
        ("admin:column_page_change", [page.pk], {PUBLISHER}),
        ("admin:auth_user_changelist", [], set()),
        ("admin:auth_user_change", [admin.pk], set()),
        ("admin:auth_user_password_change", [admin.pk], set()),
        ("admin:auth_group_changelist", [], set()),
        ("admin:axes_accessattempt_changelist", [], set()),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_admin_pages(client, site, role):
    log_in(client, role)

    wrong = []
    for name, args, allowed in matrix(site):
        response = client.get(reverse(name, args=args))
        # A reader without staff rights is sent to the login page.
        expected = 302 if role == "reader" else 200 if role in allowed else 403
        if response.status_code != expected:
            wrong.append((name, response.status_code, expected))
    assert wrong == []


@pytest.mark.parametrize("role", [EDITOR, PROOFREADER, "staff without a role"])
def test_no_one_but_a_publisher_publishes_through_bulk_actions_across_columns(client, site, role):
    drafts = [site["episode"], make_episode(site["other"], 3, status=Episode.Status.DRAFT)]
    log_in(client, role)

    for action in ("publish_selected", "unpublish_selected", "delete_selected"):
        client.post(
            reverse("admin:episodes_episode_changelist"),
            {"action": action, "_selected_action": [episode.pk for episode in [*drafts, site["published"]]]},
        )

    assert Episode.objects.public().get() == site["published"]
    assert Episode.objects.count() == 3


def test_a_publisher_publishes_across_columns(client, site):
    drafts = [site["episode"], make_episode(site["other"], 3, status=Episode.Status.DRAFT)]
    log_in(client, PUBLISHER)

    client.post(
        reverse("admin:episodes_episode_changelist"),
        {"action": "publish_selected", "_selected_action": [episode.pk for episode in drafts]},
    )

    assert Episode.objects.public().count() == 3


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refusal_in_the_admin_says_in_its_layout_which_role_the_action_needs(client, site, language):
    log_in(client, EDITOR)
    client.cookies["django_language"] = language

    response = client.get(reverse("admin:episodes_episode_delete", args=[site["episode"].pk]))

    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="site-name"' in html  # the admin's own header
    reason = "Deleting needs the Publisher role." if language == "en" else "删除需要主编权限。"
    assert f'<p class="errornote">{reason}</p>' in html


def test_an_admin_address_that_leads_nowhere_says_so_in_the_admins_layout(client, site):
    log_in(client, EDITOR)

    response = client.get(reverse("admin:episodes_episode_compare", args=[site["episode"].pk, 999999]))

    html = response.content.decode()
    assert response.status_code == 404
    assert 'id="site-name"' in html and "管理后台没有这个地址" in html


def test_a_proofreader_reads_the_players_in_words_with_a_dash_for_what_is_empty(client, site):
    site["episode"].tabs.create(label="西瓜", position=5)
    log_in(client, PROOFREADER)

    html = client.get(reverse("admin:episodes_episode_change", args=[site["episode"].pk])).content.decode()

    assert "视频链接" in html and "时间偏移（秒）" in html
    assert ">None<" not in html and "Offset seconds" not in html and ">Url<" not in html
    assert "—" in html


@pytest.mark.parametrize(
    "role, tells_who_publishes", [(EDITOR, True), (PROOFREADER, True), (PUBLISHER, False)]
)
def test_only_publishers_read_how_to_set_a_publication_time_and_the_others_who_publishes(
    client, site, role, tells_who_publishes
):
    log_in(client, role)

    html = client.get(reverse("admin:episodes_episode_change", args=[site["episode"].pk])).content.decode()

    assert ("发布、定时发布和撤回由主编操作" in html) is tells_who_publishes
    assert ("填将来的时间即定时发布" in html) is not tells_who_publishes


def test_a_form_sent_after_its_token_expired_says_how_to_keep_the_work(site):
    client = Client(enforce_csrf_checks=True)
    log_in(client, EDITOR)

    response = client.post(
        reverse("admin:episodes_episode_change", args=[site["episode"].pk]), {"title": "新"}
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="site-name"' in html and "这个表单已经过期" in html and "你的修改还在" in html
    assert "CSRF" not in html
