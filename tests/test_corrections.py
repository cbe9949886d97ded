"""Readers' corrections: sent from the episode page, settled by proofreaders in the admin."""

import os
import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from episodes.demo import EPISODES as DEMO_EPISODES
from episodes.models import Correction, Episode, Transcript
from episodes.roles import EDITOR, PROOFREADER, PUBLISHER
from markup.render import render_markdown
from markup.transcripts import paragraph_key, readable_text, source_paragraphs
from tests.factories import make_column, make_episode
from tests.wikijs_trees import SAMPLE

pytestmark = pytest.mark.django_db

FIRST = "<font color=indigo>主持人</font>：今天我们聊一聊新能源汽车的价格站。"
FIRST_AS_READ = "主持人：今天我们聊一聊新能源汽车的价格站。"
SECOND = "[01:05] 嘉宾：价格战已经打了两年。"
TRANSCRIPT = f"# 开场\n\n{FIRST}\n\n{SECOND}\n\n（音乐）\n\n- 列表里的一项\n\n（音乐）\n"


@pytest.fixture
def episode(column):
    return make_episode(column, 51, transcript=TRANSCRIPT)


def correction_url(episode, text):
    return reverse(
        "episodes:correct",
        kwargs={"column": episode.column.slug, "slug": episode.slug, "key": paragraph_key(text)},
    )


def send(client, episode, original=FIRST, address="127.0.0.1", **fields):
    data = {
        "proposed": FIRST_AS_READ.replace("价格站", "价格战"),
        "note": "",
        "name": "",
        "website": "",
    } | fields
    return client.post(correction_url(episode, original), data, REMOTE_ADDR=address)


def staff(role):
    user = User.objects.create_user(role.lower(), password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client, user


def open_correction(episode, original=FIRST, proposed=None, name="热心观众"):
    return Correction.objects.create(
        episode=episode,
        paragraph_key=paragraph_key(original),
        original=original,
        proposed=proposed or original.replace("价格站", "价格战"),
        name=name,
        address_hash="0" * 64,
    )


def accept(client, correction, reply=""):
    url = reverse("admin:episodes_correction_change", args=[correction.pk])
    return client.post(
        url, {"proposed": correction.proposed, "name": correction.name, "reply": reply, "_accept": "1"}
    )


def proposal_in(response):
    """What the correction form's text box holds, as the reader sees it."""
    textarea = re.search(
        r'<textarea name="proposed"[^>]*>(.*?)</textarea>', response.content.decode(), re.DOTALL
    )
    return unescape(textarea.group(1)).removeprefix("\n")


class ParagraphTexts(HTMLParser):
    """The text of each paragraph readers may correct, by key, as they see it: a `<br>` breaks the line."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.texts, self.key = {}, None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "p" and "data-paragraph" in attributes:
            self.key = attributes["data-paragraph"]
            self.texts[self.key] = ""
        elif tag == "br" and self.key:
            self.texts[self.key] += "\n"
        elif tag == "a" and attributes.get("class") == "suggest-correction":
            self.key = None  # the link to correct it closes the paragraph

    def handle_endtag(self, tag):
        if tag == "p":
            self.key = None

    def handle_data(self, data):
        if self.key:
            self.texts[self.key] += data


def collapsed(text):
    return " ".join(text.split())


# The episode page and the form


def test_each_paragraph_that_can_be_corrected_has_a_link_to_its_form(client, episode):
    page = client.get(episode.get_absolute_url()).content.decode()

    links = re.findall(r'<a class="suggest-correction" href="([^"]+)"', page)
    # The heading, the repeated （音乐） and the list item have none; the two paragraphs have one each.
    assert links == [f"correct/{paragraph_key(FIRST)}/", f"correct/{paragraph_key(SECOND)}/"]
    form = client.get(episode.get_absolute_url() + links[0])
    assert form.status_code == 200
    assert "no-cache" in form["Cache-Control"]
    assert proposal_in(form) == FIRST_AS_READ


def test_a_key_written_into_the_transcript_by_hand_gets_no_link(client, column):
    forged = make_episode(column, 52, transcript='<p data-paragraph="0123456789abcdef">手写的段落</p>')

    page = client.get(forged.get_absolute_url()).content.decode()

    assert "correct/0123456789abcdef/" not in page


def test_a_valid_correction_is_stored_for_the_proofreaders(client, episode):
    response = send(client, episode, note="错别字", name="热心观众", address="203.0.113.7")

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    correction = Correction.objects.first()
    assert (correction.episode, correction.original, correction.status) == (episode, FIRST, "open")
    assert correction.paragraph_key == paragraph_key(FIRST)
    assert (correction.proposed, correction.note, correction.name) == (
        FIRST.replace("价格站", "价格战"),
        "错别字",
        "热心观众",
    )
    assert "203.0.113.7" not in correction.address_hash and len(correction.address_hash) == 64


def test_the_honeypot_refuses_politely_and_stores_nothing(client, episode):
    response = send(client, episode, website="http://spam.example")

    assert response.status_code == 200
    assert "应当留空的栏目被填写了" in response.content.decode()
    assert not Correction.objects.exists()


def test_unchanged_text_is_refused(client, episode):
    response = send(client, episode, proposed=f"  {FIRST_AS_READ}\r\n")

    assert "这段文字还没有改动" in response.content.decode()
    assert not Correction.objects.exists()


def test_too_long_a_proposal_is_refused(client, episode):
    response = send(client, episode, proposed="长" * 5_001)

    assert "一段最多 5000 个字，您的修改有 5001 个字" in response.content.decode()
    assert not Correction.objects.exists()


def test_line_breaks_count_once_as_stored(client, episode):
    # A browser sends each line break as two characters.
    proposed = "\r\n".join(["长" * 99] * 50)

    assert send(client, episode, original=SECOND, proposed=proposed).status_code == 302
    assert Correction.objects.get().proposed == proposed.replace("\r\n", "\n")


def test_a_paragraph_too_long_for_a_proposal_has_no_link(client, column):
    long = make_episode(column, 8, transcript=f"{'长' * 5_001}\n\n短的一段")

    page = client.get(long.get_absolute_url()).content.decode()

    assert page.count('class="suggest-correction"') == 1
    assert client.get(correction_url(long, "长" * 5_001)).status_code == 404


def test_each_address_may_send_only_so_many_an_hour(client, episode, settings):
    settings.CORRECTIONS_PER_HOUR = 2
    for _ in range(2):
        assert send(client, episode, address="203.0.113.7").status_code == 302

    refused = send(client, episode, address="203.0.113.7")
    assert refused.status_code == 200
    assert "一小时内最多可以提交 2 条纠错" in refused.content.decode()
    assert send(client, episode, address="198.51.100.1").status_code == 302
    # An hour later the address may send again.
    Correction.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert send(client, episode, address="203.0.113.7").status_code == 302
    assert Correction.objects.count() == 4


def test_an_ipv6_sender_counts_by_its_64_block(client, episode, settings):
    settings.CORRECTIONS_PER_HOUR = 1
    assert send(client, episode, address="2001:db8:1:2::1").status_code == 302

    assert (
        "一小时内最多可以提交 1 条纠错"
        in send(client, episode, address="2001:db8:1:2::ffff").content.decode()
    )
    assert send(client, episode, address="2001:db8:1:3::1").status_code == 302


@pytest.mark.parametrize(
    "block", ["# 开场", "- 列表里的一项", "（音乐）"], ids=["heading", "list", "a block that repeats"]
)
def test_only_a_linked_paragraph_can_be_corrected(client, episode, block):
    response = send(client, episode, original=block, proposed="改过的")

    assert response.status_code == 404
    assert not Correction.objects.exists()


def test_a_quotation_like_a_paragraph_does_not_stand_for_it(client, column):
    quoting = make_episode(column, 9, transcript="同一句话\n\n> 同一句话")

    page = client.get(quoting.get_absolute_url()).content.decode()

    assert page.count('class="suggest-correction"') == 1
    assert re.search(r"<blockquote>\s*<p>同一句话</p>", page)


def test_the_form_needs_its_csrf_token(episode):
    client = Client(enforce_csrf_checks=True)

    assert send(client, episode).status_code == 403
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        {"status": Episode.Status.DRAFT},
        {"status": Episode.Status.REVIEW},
        {"status": Episode.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_an_unpublished_episode_takes_no_corrections(client, admin_client, column, state):
    hidden = make_episode(column, 9, transcript=TRANSCRIPT, **state)

    for who in (client, admin_client):
        assert who.get(correction_url(hidden, FIRST)).status_code == 404
        assert send(who, hidden).status_code == 404
    assert not Correction.objects.exists()


def test_a_paragraph_changed_meanwhile_is_explained(client, episode):
    Transcript.objects.filter(episode=episode).update(source="全新的文稿")

    response = send(client, episode)

    assert response.status_code == 404
    assert "这段文字已经不在文稿里了" in response.content.decode()
    assert not Correction.objects.exists()


def test_sending_a_correction_leaves_the_cached_pages_valid(client, episode):
    etag = client.get(episode.get_absolute_url())["ETag"]

    send(client, episode)

    assert client.get(episode.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


# Readers correct text, not markup

SPOKEN = "<font color=indigo>主持人：</font>大家好，**欢迎收看**[《产经破壁机》](https://example.org/)。今天聊价格站。"
SPOKEN_AS_READ = "主持人：大家好，欢迎收看《产经破壁机》。今天聊价格站。"


@pytest.fixture
def spoken(column):
    return make_episode(column, 52, transcript=f"# 开场\n\n{SPOKEN}\n\n{SECOND}\n")


def corrected(client, episode, proposed):
    """The paragraph SPOKEN as it reads once a reader's text is sent and a proofreader accepts it in the admin."""
    assert send(client, episode, original=SPOKEN, proposed=proposed).status_code == 302
    proofreader, _ = staff(PROOFREADER)
    assert accept(proofreader, Correction.objects.get()).status_code == 302
    source = Transcript.objects.get(episode=episode).source
    assert source.startswith("# 开场\n\n") and source.endswith(f"\n\n{SECOND}\n")
    return source.removeprefix("# 开场\n\n").removesuffix(f"\n\n{SECOND}\n")


def test_the_form_shows_the_paragraph_without_its_markup(client, spoken):
    form = client.get(correction_url(spoken, SPOKEN))

    assert proposal_in(form) == SPOKEN_AS_READ
    # Also above the form, where a reader without script compares it with what they write.
    original = re.search(r"<blockquote>(.*?)</blockquote>", form.content.decode(), re.DOTALL).group(1)
    assert unescape(original) == SPOKEN_AS_READ


def test_a_correction_after_the_speaker_keeps_the_colour_the_bold_and_the_link(client, spoken):
    paragraph = corrected(client, spoken, "主持人：嗯，大家好，欢迎收看《产经破壁机》。今天聊价格战。")

    assert paragraph == (
        "<font color=indigo>主持人：</font>嗯，大家好，**欢迎收看**[《产经破壁机》](https://example.org/)。今天聊价格战。"
    )
    page = client.get(spoken.get_absolute_url()).content.decode()
    assert (
        '<span class="ink-indigo">主持人：</span>嗯，大家好，<strong>欢迎收看</strong><a href="https://example.org/"'
        in page
    )


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        "**价格战**",
        "[链接](https://spam.example/)",
        "`代码`",
        "~~删~~",
        "&lt;b&gt;",
        "\\*",
        "\n# 不是标题",
    ],
)
def test_what_a_reader_types_shows_as_typed(client, spoken, typed):
    proposed = SPOKEN_AS_READ.replace("价格站", typed)

    paragraph = corrected(client, spoken, proposed)

    assert paragraph.startswith(
        "<font color=indigo>主持人：</font>大家好，**欢迎收看**[《产经破壁机》](https://example.org/)"
    )
    page = client.get(spoken.get_absolute_url()).content.decode()
    assert collapsed(ParagraphTexts(page).texts[paragraph_key(paragraph)]) == collapsed(proposed)
    assert "<script>alert" not in page


def test_an_edit_inside_a_bold_span_stays_inside_it(client, spoken):
    paragraph = corrected(client, spoken, SPOKEN_AS_READ.replace("收看", "观看"))

    assert "大家好，**欢迎观看**[《产经破壁机》]" in paragraph


def test_deleting_all_a_bold_span_holds_deletes_its_markers(client, spoken):
    paragraph = corrected(client, spoken, SPOKEN_AS_READ.replace("欢迎收看", ""))

    assert "大家好，[《产经破壁机》]" in paragraph


# The proofreaders' queue


def test_the_queue_shows_the_change_character_by_character(episode):
    correction = open_correction(episode)
    client, _ = staff(PROOFREADER)

    queue = client.get(reverse("admin:episodes_correction_changelist") + "?status__exact=open")
    page = client.get(reverse("admin:episodes_correction_change", args=[correction.pk])).content.decode()

    assert "价格<del>站</del><ins>战</ins>" in queue.content.decode()
    assert "价格<del>站</del><ins>战</ins>" in page
    assert 'name="_accept"' in page and 'name="_reject"' in page


@pytest.mark.parametrize("role", [PROOFREADER, PUBLISHER])
def test_accepting_applies_the_change_as_a_revision_credited_to_the_reader(client, episode, role):
    correction = open_correction(episode)
    proofreader, user = staff(role)

    response = accept(proofreader, correction, reply="谢谢！")

    assert response.status_code == 302
    transcript = Transcript.objects.get(episode=episode)
    assert transcript.source == TRANSCRIPT.replace("价格站", "价格战")
    correction.refresh_from_db()
    assert (correction.status, correction.reviewed_by, correction.reply) == ("accepted", user, "谢谢！")
    revision = Version.objects.get_for_object(episode).first().revision
    assert revision.user == user and "热心观众" in revision.get_comment()
    page = client.get(episode.get_absolute_url()).content.decode()
    assert "新能源汽车的价格战。" in page and "价格站" not in page


def test_a_proposal_that_splits_the_paragraph_keeps_the_others(episode):
    correction = open_correction(episode, proposed="主持人：今天我们聊一聊。\n\n新能源汽车的价格战。")
    proofreader, _ = staff(PROOFREADER)

    accept(proofreader, correction)

    source = Transcript.objects.get(episode=episode).source
    assert source == TRANSCRIPT.replace(FIRST, "主持人：今天我们聊一聊。\n\n新能源汽车的价格战。")


def test_a_paragraph_changed_since_the_suggestion_is_marked_stale_not_overwritten(episode):
    correction = open_correction(episode)
    transcript = episode.transcript
    transcript.source = TRANSCRIPT.replace(FIRST, "主持人：今天聊汽车。")
    transcript.save()
    proofreader, _ = staff(PROOFREADER)

    page = proofreader.get(reverse("admin:episodes_correction_change", args=[correction.pk])).content.decode()
    assert "这一段在读者提交之后已经改动" in page
    response = accept(proofreader, correction)

    assert "已标记为“段落已改动”" in proofreader.get(response["Location"]).content.decode()
    correction.refresh_from_db()
    assert correction.status == "stale"
    assert Transcript.objects.get(episode=episode).source == TRANSCRIPT.replace(FIRST, "主持人：今天聊汽车。")


def test_rejecting_keeps_the_transcript_and_records_the_reply(episode):
    correction = open_correction(episode)
    proofreader, user = staff(PROOFREADER)

    proofreader.post(
        reverse("admin:episodes_correction_change", args=[correction.pk]),
        {"proposed": correction.proposed, "name": correction.name, "reply": "原文没有错。", "_reject": "1"},
    )

    correction.refresh_from_db()
    assert (correction.status, correction.reply, correction.reviewed_by) == ("rejected", "原文没有错。", user)
    assert Transcript.objects.get(episode=episode).source == TRANSCRIPT


def test_of_two_proofreaders_settling_at_once_the_second_is_told(episode):
    correction = open_correction(episode)
    first, _ = staff(PROOFREADER)
    second, _ = staff(PUBLISHER)
    # Both opened the correction while it was open.
    seen_by_second = Correction.objects.get(pk=correction.pk)

    accept(first, correction)
    with pytest.raises(Correction.AlreadySettled):
        seen_by_second.reject(User.objects.get(username="publisher"))
    with pytest.raises(Correction.AlreadySettled):
        seen_by_second.accept(User.objects.get(username="publisher"))

    correction.refresh_from_db()
    assert correction.status == "accepted"
    assert Transcript.objects.get(episode=episode).source == TRANSCRIPT.replace("价格站", "价格战")
    assert second.get(reverse("admin:episodes_correction_change", args=[correction.pk])).status_code == 200


def test_a_settled_correction_cannot_be_accepted_again(episode):
    correction = open_correction(episode)
    proofreader, _ = staff(PROOFREADER)
    proofreader.post(
        reverse("admin:episodes_correction_change", args=[correction.pk]),
        {"proposed": correction.proposed, "name": correction.name, "reply": "", "_reject": "1"},
    )

    page = proofreader.get(reverse("admin:episodes_correction_change", args=[correction.pk]))
    assert 'name="_accept"' not in page.content.decode()
    assert accept(proofreader, correction).status_code == 403
    assert Transcript.objects.get(episode=episode).source == TRANSCRIPT


def test_an_editor_may_read_the_queue_but_not_accept(episode):
    correction = open_correction(episode)
    editor, _ = staff(EDITOR)

    assert editor.get(reverse("admin:episodes_correction_change", args=[correction.pk])).status_code == 200
    assert accept(editor, correction).status_code == 403

    correction.refresh_from_db()
    assert correction.status == "open"
    assert Transcript.objects.get(episode=episode).source == TRANSCRIPT


def test_spam_is_rejected_in_bulk(episode):
    spam = [open_correction(episode, proposed=f"广告{number}") for number in range(3)]
    proofreader, _ = staff(PROOFREADER)

    proofreader.post(
        reverse("admin:episodes_correction_changelist"),
        {"action": "reject_selected", "_selected_action": [correction.pk for correction in spam]},
    )

    assert set(Correction.objects.values_list("status", flat=True)) == {"rejected"}


def test_the_dashboard_counts_open_corrections_per_column(admin_client, episode, column):
    other = make_column(slug="main", name="睡前消息")
    open_correction(episode)
    open_correction(episode, original=SECOND, proposed="[01:05] 嘉宾：价格战已经打了三年。")
    settled = open_correction(make_episode(other, 1, transcript=TRANSCRIPT))
    settled.reject(None)
    make_episode(column, 3, status=Episode.Status.DRAFT)

    dashboard = admin_client.get(reverse("admin:index")).context["dashboard"]

    counts = {
        column.slug: (column.open_corrections, column.draft, column.live) for column in dashboard["columns"]
    }
    assert counts == {"business": (2, 1, 1), "main": (0, 0, 1)}


# The public log


def test_the_public_log_lists_accepted_corrections_only_where_the_column_opts_in(client, column, episode):
    accepted = open_correction(episode)
    accepted.reply = "谢谢指正！"
    accepted.save()
    accepted.accept(User.objects.create_user("proofreader"))
    open_correction(episode, original=SECOND, proposed="[01:05] 嘉宾：还没有处理。")

    page = client.get(episode.get_absolute_url()).content.decode()
    assert "读者纠错记录" not in page

    column.shows_corrections_log = True
    column.save()
    page = client.get(episode.get_absolute_url()).content.decode()
    log = page[page.index("读者纠错记录") :]
    assert "价格<del>站</del><ins>战</ins>" in log
    assert "感谢 热心观众" in log and "谢谢指正！" in log
    assert "还没有处理" not in log


# Paragraphs as the renderer names them


def test_paragraphs_are_named_by_their_source_whatever_the_line_endings():
    html = render_markdown("第一段\r\n第二行\r\n\r\n第二段", transcript=True)

    for paragraph in ("第一段\n第二行", "第二段"):
        assert f'<p data-paragraph="{paragraph_key(paragraph)}">' in html
    assert "data-paragraph" not in render_markdown("第一段\n\n第二段")  # only transcripts carry keys


def test_accepting_replaces_the_whole_paragraph_not_a_like_text_elsewhere(column):
    episode = make_episode(column, 7, transcript="好的\n\n他说好的，然后走了。")
    correction = open_correction(episode, original="好的", proposed="好的。")

    assert correction.accept(User.objects.create_user("proofreader"))

    assert Transcript.objects.get(episode=episode).source == "好的。\n\n他说好的，然后走了。"


def test_the_public_log_is_short(client, column, episode):
    column.shows_corrections_log = True
    column.save()
    now = timezone.now()
    for number in range(21):
        Correction.objects.create(
            episode=episode,
            paragraph_key=paragraph_key(f"第{number}处"),
            original=f"第{number}处",
            proposed=f"第{number}处改",
            status=Correction.Status.ACCEPTED,
            reviewed_at=now - timedelta(days=number),
            address_hash="0",
        )

    page = client.get(episode.get_absolute_url()).content.decode()
    log = page[page.index("读者纠错记录") :]

    assert log.count("<ins>改</ins>") == 20
    assert "第0处" in log and "第20处" not in log


def test_a_proofreader_may_amend_the_name_before_accepting(episode):
    correction = open_correction(episode, name="http://spam.example")
    proofreader, _ = staff(PROOFREADER)

    proofreader.post(
        reverse("admin:episodes_correction_change", args=[correction.pk]),
        {"proposed": correction.proposed, "name": "", "reply": "", "_accept": "1"},
    )

    comment = Version.objects.get_for_object(episode).first().revision.get_comment()
    assert "spam" not in comment and "匿名读者" in comment


def test_a_refused_send_is_not_rendered(client, episode, settings):
    # Refused for its shape before any rendering, on any machine; escaped, it still fits in a proposal.
    unrenderable = "[" * 2_000

    assert "这段文字无法排版" in send(client, episode, proposed=unrenderable).content.decode()
    assert (
        "这段文字无法排版" not in send(client, episode, proposed=unrenderable, website="x").content.decode()
    )
    settings.CORRECTIONS_PER_HOUR = 0
    refused = send(client, episode, proposed=unrenderable).content.decode()
    assert "一小时内最多可以提交 0 条纠错" in refused and "这段文字无法排版" not in refused
    assert not Correction.objects.exists()


def test_the_queue_refuses_a_proposal_that_cannot_be_rendered(episode):
    correction = open_correction(episode)
    proofreader, _ = staff(PROOFREADER)

    response = proofreader.post(
        reverse("admin:episodes_correction_change", args=[correction.pk]),
        {"proposed": "[" * 3_000, "name": "", "reply": "", "_accept": "1"},
    )

    assert response.status_code == 200 and "这段文字无法排版" in response.content.decode()
    correction.refresh_from_db()
    assert correction.status == "open"
    assert Transcript.objects.get(episode=episode).source == TRANSCRIPT


# Paragraphs as their readers read them

# A paragraph of each kind of inline markup the archive uses.
INLINE_MARKUP = [
    "<font color=indigo>主持人</font>：第一行<br>第二行\n第三行",
    "嘉宾：**粗体**、*斜体*、__粗体__、_斜体_、***两者***、~~删除~~和<u>下划线</u>",
    "snake_case_name 与 2*3*4 与 a * b 与 ** 不是强调",
    "[链接 **粗体**](https://example.org/a_(b)) 与 ![图片](/static/demo/a.png =700x) 与 <https://example.org/?a=1&amp;b=2>",
    "转义：\\*星号\\* \\_下划线\\_ \\[方括号\\] \\<尖括号\\> \\\\ 反斜杠 与 `代码 **不是粗体**` 与 ``含 ` 的代码``",
    "实体：&amp; &lt;b&gt; &nbsp;空格 &#x4E2D;&#25991; 与 &未知; 与 AT&T",
    "[0:12] 时间 与注释[^1] 与 https://example.org/path_(x) 网址<!-- 注释 -->。",
]


def reads_as_shown(source):
    """Each paragraph of `source` a reader may correct, by key: as it reads, and as its page shows it."""
    shown = ParagraphTexts(render_markdown(source, transcript=True)).texts
    paragraphs = source_paragraphs(source)
    return (
        {key: collapsed(readable_text(paragraphs[key]).text) for key in shown},
        {key: collapsed(text) for key, text in shown.items()},
    )


@pytest.mark.parametrize(
    "source",
    [*(episode["transcript"] for episode in DEMO_EPISODES), TRANSCRIPT, f"{SPOKEN}\n\n{SECOND}"],
    ids=[*(f"demo {episode['number']}" for episode in DEMO_EPISODES), "TRANSCRIPT", "SPOKEN"],
)
def test_a_paragraph_reads_as_its_page_shows_it(source):
    readable, shown = reads_as_shown(source)

    assert shown
    assert readable == shown


def test_each_kind_of_inline_markup_reads_as_the_page_shows_it():
    readable, shown = reads_as_shown("\n\n".join([*INLINE_MARKUP, "[^1]: 注释"]))

    assert set(shown) == {paragraph_key(paragraph) for paragraph in INLINE_MARKUP}
    assert readable == shown


@pytest.mark.slow  # the whole sample archive
@pytest.mark.skipif(
    not SAMPLE.is_dir() and not os.environ.get("CI"), reason="the archive sample is not beside the repo"
)
def test_each_paragraph_of_the_archive_reads_as_its_page_shows_it():
    compared = 0
    for page in sorted(SAMPLE.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        readable, shown = reads_as_shown(text.split("---\n", 2)[2] if text.startswith("---\n") else text)
        assert readable == shown, page.relative_to(SAMPLE)
        compared += len(shown)
    assert compared
