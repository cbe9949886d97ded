"""The wiki's git history comes along: each commit a revision, with its author, time and message."""

import subprocess
from datetime import UTC, datetime
from io import StringIO

import pytest
import reversion
from django.core.management import call_command
from reversion.models import Version

from episodes.models import Authorship, Episode
from episodes.revisions import credited_name
from tests.wikijs_trees import BILIBILI_TAB, SAMPLE, page, run_import, write_tree

TABSET = "# Tabs {.tabset}\n" + BILIBILI_TAB.format(bvid="BV1nezJYfEPc") + "\n#\n\n"


def git(root, *args, author="人本", when="2025-04-03T10:00:00+00:00"):
    environment = {
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
    }
    subprocess.run(["git", "-C", str(root), *args], env=environment, check=True, capture_output=True)


def commit(root, files, message, **who):
    write_tree(root, files)
    git(root, "add", "-A", **who)
    git(root, "commit", "-q", "-m", message, **who)


@pytest.fixture
def repository(tmp_path):
    root = tmp_path / "wiki"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {"business.md": page("产经破壁机")}, "docs: create business", author="admin1")
    commit(
        root,
        {"business/51.md": page("【产经破壁机051】初稿", TABSET + "机器转录的文稿。\n")},
        "docs: create business/51",
        author="am1891",
        when="2025-03-28T08:00:00+00:00",
    )
    commit(
        root,
        {"business/51.md": page("【产经破壁机051】标题", TABSET + "校对过的文稿。\n")},
        "docs: update business/51",
        author="人本",
        when="2025-04-03T10:00:00+00:00",
    )
    return root


def revisions(legacy_path):
    episode = Episode.objects.get(legacy_path=legacy_path)
    return list(Version.objects.get_for_object(episode).select_related("revision__authorship").order_by("pk"))


@pytest.mark.django_db
def test_each_commit_of_a_page_is_a_revision_with_its_author_time_and_message(repository):
    status, output, summary = run_import(repository)

    assert status == 0, output
    assert summary.startswith("imported 2, updated 0")
    history = revisions("business/51")
    assert [version.revision.comment for version in history] == [
        "docs: create business/51",
        "docs: update business/51",
    ]
    assert [version.revision.authorship.author for version in history] == ["am1891", "人本"]
    assert [version.revision.date_created for version in history] == [
        datetime(2025, 3, 28, 8, tzinfo=UTC),
        datetime(2025, 4, 3, 10, tzinfo=UTC),
    ]
    assert history[0].field_dict["title"] == "【产经破壁机051】初稿"
    assert Episode.objects.get(legacy_path="business/51").title == "【产经破壁机051】标题"


@pytest.mark.django_db
def test_the_page_credits_its_last_editor_and_contributors(client, repository):
    run_import(repository)
    commit(
        repository,
        {"business/51.md": page("【产经破壁机051】标题", TABSET + "再校对一遍的文稿。\n")},
        "docs: update business/51",
        author="人本",
        when="2025-04-05T10:00:00+00:00",
    )
    run_import(repository)

    html = client.get("/business/51/").content.decode()
    assert "最后编辑：人本 ·" in html and "2025年4月5日" in html
    assert "贡献者：人本" in html
    assert html.index("人本<span") < html.index("am1891<span")
    assert "（2）" in html and "（1）" in html
    assert "@" not in html.split('class="episode-meta"')[1].split("</p>")[0]


@pytest.mark.django_db
def test_a_second_import_adds_nothing_and_a_new_commit_adds_one_revision(repository):
    run_import(repository)
    before = len(revisions("business/51"))

    _, _, summary = run_import(repository)
    assert summary.startswith("imported 0, updated 0, unchanged 2")
    assert len(revisions("business/51")) == before

    commit(
        repository,
        {"business/51.md": page("【产经破壁机051】标题", TABSET + "第三版。\n")},
        "docs: update business/51",
        author="乞久",
    )
    _, _, summary = run_import(repository)
    assert summary.startswith("imported 0, updated 1")
    history = revisions("business/51")
    assert len(history) == before + 1
    assert history[-1].revision.authorship.author == "乞久"


@pytest.mark.django_db
def test_a_renamed_page_keeps_its_history(repository):
    git(repository, "mv", "business/51.md", "business/52.md")
    git(repository, "commit", "-q", "-m", "docs: rename business/51 to business/52", author="kt")

    run_import(repository)

    history = revisions("business/52")
    assert [version.revision.comment for version in history] == [
        "docs: create business/51",
        "docs: update business/51",
        "docs: rename business/51 to business/52",
    ]
    assert not Episode.objects.filter(legacy_path="business/51").exists()


@pytest.mark.django_db
def test_without_history_the_last_edit_is_the_front_matter_date(client, repository):
    status, _, _ = run_import(repository, "--no-history")

    assert status == 0
    assert not Authorship.objects.exists()
    history = revisions("business/51")
    assert len(history) == 1
    # FRONT's `date:` in tests/wikijs_trees.py.
    assert history[0].revision.date_created == datetime(2024, 11, 30, 11, 34, 46, 199000, tzinfo=UTC)
    assert "2024年11月30日" in client.get("/business/51/").content.decode()


@pytest.mark.django_db
def test_an_episode_edited_in_the_cms_keeps_its_revisions_and_is_reported(repository):
    run_import(repository)
    episode = Episode.objects.get(legacy_path="business/51")
    episode.title = "【产经破壁机051】编辑改过"
    episode.save()
    commit(
        repository, {"business/51.md": page("【产经破壁机051】维基又改", TABSET)}, "docs: update business/51"
    )

    _, output, summary = run_import(repository)

    assert any(line.startswith("conflict: business/51.md") for line in output), output
    assert Episode.objects.get(pk=episode.pk).title == "【产经破壁机051】编辑改过"
    assert summary.startswith("imported 0, updated 0, unchanged 1, skipped 1")


BUNDLE = SAMPLE.parent / "wikijs-history.bundle"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(not BUNDLE.exists(), reason="the archive's history bundle is not beside the repo")
def test_the_archive_history_imports_commit_for_commit(client, tmp_path):
    wiki = tmp_path / "wiki"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(wiki)], check=True)

    status, output, _ = run_import(wiki)
    assert status == 0, output

    commits_by_page = commits_of_each_page(wiki)
    episodes = Episode.objects.public().exclude(legacy_path="")
    assert episodes.count() > 100
    for episode in episodes:
        commits = commits_by_page[f"{episode.legacy_path}.md"]
        history = revisions(episode.legacy_path)
        assert [version.revision.authorship.commit for version in history] == [sha for sha, _, _ in commits]
        _, author, time = commits[-1]
        assert history[-1].revision.authorship.author == author
        assert history[-1].revision.date_created == datetime.fromisoformat(time)
        page = client.get(episode.get_absolute_url()).content.decode()
        assert f"最后编辑：{author} ·" in page
    assert not Authorship.objects.filter(author__contains="@").exists()

    revisions_before = Version.objects.count()
    _, _, summary = run_import(wiki)
    assert "imported 0, updated 0" in summary
    assert Version.objects.count() == revisions_before

    # A volunteer's new commit, then a rename: one revision more, and the history follows the page.
    page_file = wiki / "business" / "51.md"
    page_file.write_text(page_file.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    git(wiki, "commit", "-q", "-am", "docs: update business/51", author="新来的志愿者")
    git(wiki, "mv", "business/51.md", "business/51-renamed.md")
    git(wiki, "commit", "-q", "-m", "docs: rename business/51", author="新来的志愿者")
    count = len(revisions("business/51"))
    run_import(wiki)
    history = revisions("business/51-renamed")
    assert len(history) == count + 2
    assert history[-2].revision.authorship.author == "新来的志愿者"
    assert not Episode.objects.filter(legacy_path="business/51").exists()


def commits_of_each_page(wiki):
    """Each page's commits, oldest first, following renames (not copies), read from git's plain log."""
    log = subprocess.run(
        ["git", "-C", str(wiki), "-c", "core.quotepath=off", "log", "--reverse", "-M", "--name-status",
         "--format=commit %H%x00%an%x00%aI"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    pages, current = {}, None
    for line in log.splitlines():
        if line.startswith("commit "):
            current = tuple(line.removeprefix("commit ").split("\x00"))
        elif line and line[0] in "AMR":
            status, *paths = line.split("\t")
            commits = pages.pop(paths[0], []) if status.startswith("R") else pages.get(paths[-1], [])
            pages[paths[-1]] = [*commits, current]
    return pages


@pytest.mark.django_db
def test_the_admin_history_shows_wiki_and_cms_revisions_together(admin_client, repository):
    commit(
        repository,
        {"business/51.md": page("【产经破壁机051】标题", TABSET + "第三版的文稿。\n")},
        "docs: update",
    )
    run_import(repository)
    episode = Episode.objects.get(legacy_path="business/51")
    change = f"/admin/episodes/episode/{episode.pk}/"

    history = admin_client.get(change + "history/").content.decode()

    assert "am1891" in history and "人本" in history
    assert "docs: create business/51" in history and "docs: update business/51" in history
    first, _, latest = revisions("business/51")
    compare = admin_client.get(f"{change}history/{first.pk}/compare/")
    assert compare.status_code == 200
    # Any two, chosen in the history's form, whichever way round.
    chosen = admin_client.get(
        f"{change}history/compare/", {"older": latest.pk, "newer": first.pk}, follow=True
    )
    assert chosen.redirect_chain[-1][0].endswith(f"history/{latest.pk}/compare/?against={first.pk}")
    diff = chosen.content.decode()
    assert "机器转录" in diff and "第三版" in diff
    restored = admin_client.post(f"{change}history/{first.pk}/restore/", follow=True)
    assert restored.status_code == 200
    assert Episode.objects.get(pk=episode.pk).title == "【产经破壁机051】初稿"
    assert len(revisions("business/51")) == 4
    # The restore is the editor's own revision, in the same list as the volunteers'.
    together = admin_client.get(change + "history/").content.decode()
    assert together.index("恢复到") < together.index("docs: update") < together.index("am1891")
    assert "<td>admin</td>" in together and "<td>am1891</td>" in together


@pytest.mark.django_db
def test_an_export_to_git_imports_back_with_the_same_histories(repository, tmp_path, admin_user):
    run_import(repository)
    episode = Episode.objects.get(legacy_path="business/51")
    with reversion.create_revision():
        episode.title = "【产经破壁机051】编辑改的标题"
        episode.save()
        reversion.set_user(admin_user)
        reversion.set_comment("改标题")
    histories = {path: credited_history(path) for path in ["business/51"]}

    exported = tmp_path / "exported"
    call_command("export_wikijs", str(exported), "--git", stdout=StringIO())
    again = StringIO()
    call_command("export_wikijs", str(exported), "--git", stdout=again)
    assert again.getvalue().startswith("made 0 commits")

    Episode.objects.all().delete()
    Version.objects.all().delete()
    status, output, _ = run_import(exported)
    assert status == 0, output
    assert {path: credited_history(path) for path in histories} == histories


def credited_history(legacy_path):
    return [
        # To the second, as git keeps time.
        (
            version.revision.get_comment(),
            credited_name(version.revision),
            version.revision.date_created.replace(microsecond=0),
        )
        for version in revisions(legacy_path)
    ]


@pytest.mark.django_db
def test_a_broken_version_in_the_history_is_reported_and_left_out(repository):
    commit(
        repository,
        {"business/51.md": "---\ntitle: [unclosed\n---\n"},
        "docs: update business/51",
        author="kt",
    )
    commit(
        repository, {"business/51.md": page("【产经破壁机051】修好了", TABSET)}, "docs: update business/51"
    )

    status, output, _ = run_import(repository)

    assert status == 0, output
    assert any("is left out of the history: 'title' cannot be read as YAML" in line for line in output), (
        output
    )
    assert [version.revision.authorship.author for version in revisions("business/51")] == [
        "am1891",
        "人本",
        "人本",
    ]
    assert Episode.objects.get(legacy_path="business/51").title == "【产经破壁机051】修好了"


@pytest.mark.django_db
def test_a_page_the_wiki_deleted_keeps_its_history_with_nothing_public(client, repository):
    commit(
        repository,
        {"business/60.md": page("【产经破壁机060】后来删掉的一期", TABSET + "正文")},
        "docs: create business/60",
    )
    git(repository, "rm", "-q", "business/60.md")
    git(repository, "commit", "-q", "-m", "docs: delete business/60", author="乞久")

    _, output, _ = run_import(repository)

    assert Episode.objects.filter(legacy_path="business/60").exists(), output
    episode = Episode.objects.get(legacy_path="business/60")
    assert episode.status == Episode.Status.DRAFT and not episode.is_public()
    assert [version.revision.comment for version in revisions("business/60")] == [
        "docs: create business/60",
        "docs: delete business/60",
    ]
    assert revisions("business/60")[-1].revision.authorship.author == "乞久"
    assert any("business/60.md: deleted from the wiki by" in line for line in output)
    assert client.get("/business/60/").status_code == 404
    assert client.get("/business/60.md", follow=True).status_code == 404

    before = Version.objects.count()
    _, _, summary = run_import(repository)
    assert Version.objects.count() == before and "imported 0, updated 0" in summary


@pytest.mark.django_db
def test_a_rename_after_an_import_moves_the_episode_with_its_history(client, repository):
    run_import(repository)
    episode = Episode.objects.get(legacy_path="business/51")
    git(repository, "mv", "business/51.md", "business/51-a.md")
    git(repository, "commit", "-q", "-m", "docs: rename business/51 to business/51-a", author="kt")

    run_import(repository)

    moved = Episode.objects.get(legacy_path="business/51-a")
    assert moved.pk == episode.pk and Episode.objects.count() == 1
    assert [version.revision.comment for version in revisions("business/51-a")][-1].startswith("docs: rename")
    assert client.get("/business/51/").status_code == 200  # its address stays
