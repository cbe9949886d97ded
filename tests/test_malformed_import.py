"""The malformed archive files of `tests/malformed`: each ends as the table of its README says.

A rejected file is reported at its line and leaves no row behind; an imported
one carries the warnings listed for it and no other; the import goes on past
all of them.
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

from column.models import Column, Page
from episodes.models import Episode
from tests.wikijs_trees import run_import

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "malformed"
HUGE_TRANSCRIPT = "business/huge-transcript.md"
FIVE_MEGABYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Documented:
    """A row of the README's table: a file, how its import ends and the report's lines about it."""

    file: str
    outcome: str
    messages: tuple[str, ...]

    @property
    def rejected(self):
        return self.outcome == "rejected"

    @property
    def legacy_path(self):
        return self.file.removesuffix(".md")


def read_table():
    rows = []
    for line in (CORPUS / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            file, _, outcome, messages = cells
            quoted = [part for index, part in enumerate(messages.split("`")) if index % 2]
            rows.append(Documented(file.strip("`"), outcome, tuple(quoted)))
    return rows


DOCUMENTED = read_table()
REJECTED = [row for row in DOCUMENTED if row.rejected]


def write_huge_transcript(path):
    """Episode 61's page grown to five megabytes, as a runaway transcription could leave it."""
    page = (CORPUS / "business/61.md").read_text(encoding="utf-8")
    paragraph = "<font color=indigo>主持人</font>：芯片出口管制收紧之后，国产替代走到了哪一步？\n\n"
    repeats = FIVE_MEGABYTES // len(paragraph.encode()) + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page.replace("061】", "086】") + paragraph * repeats, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "wiki"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("README.md"))
    write_huge_transcript(root / HUGE_TRANSCRIPT)
    return root


def import_outcome(output, row):
    """How the import ended for a file of the table, in the table's terms: (outcome, messages).

    A report line is given as the documented message it starts with, or whole when it starts with none.
    """
    reports = [line.partition(": ")[::2] for line in output]
    reports = [(kind, text) for kind, text in reports if text.startswith(f"{row.file}:")]
    messages = tuple(
        sorted(next((m for m in row.messages if text.startswith(m)), text) for _, text in reports)
    )
    kinds = {kind for kind, _ in reports}
    stored = (
        Episode.objects.filter(legacy_path=row.legacy_path).exists()
        or Page.objects.filter(legacy_path=row.legacy_path).exists()
    )
    if stored and kinds <= {"warning"}:
        return ("imported, warned" if kinds else "imported"), messages
    if not stored and kinds == {"failed"}:
        return "rejected", messages
    return f"stored: {stored}, reported: {sorted(kinds)}", messages


def row_counts():
    """The rows of every table, the search index and the revisions included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def stored_episode(legacy_path):
    episode = Episode.objects.get(legacy_path=legacy_path)
    tabs = list(episode.tabs.values_list("label", "embed__url"))
    return episode.title, tabs, episode.transcript.source, episode.transcript.html


def test_the_table_documents_every_file_of_the_corpus(corpus):
    files = sorted(path.relative_to(corpus).as_posix() for path in corpus.rglob("*.md"))

    assert sorted(row.file for row in DOCUMENTED) == files
    assert len(files) >= 22
    assert (corpus / HUGE_TRANSCRIPT).stat().st_size > FIVE_MEGABYTES


def test_every_file_ends_as_documented_and_the_import_goes_on(corpus):
    status, output, summary = run_import(corpus)

    assert {row.file: import_outcome(output, row) for row in DOCUMENTED} == {
        row.file: (row.outcome, tuple(sorted(row.messages))) for row in DOCUMENTED
    }
    imported = [row for row in DOCUMENTED if not row.rejected]
    warnings = sum(len(row.messages) for row in imported)
    lost = sum(": not carried over: " in message for row in imported for message in row.messages)
    assert status == 1
    assert summary == (
        f"imported {len(imported)}, updated 0, unchanged 0, skipped 0, failed {len(REJECTED)}, warnings {warnings}"
        f", not carried over {lost} (tab text {lost})"
    )


@pytest.mark.parametrize("documented", REJECTED, ids=lambda row: row.file)
def test_a_rejected_file_leaves_no_row_behind(corpus, tmp_path, documented):
    # Alone in its column's folder, so that the column too is made for it alone.
    alone = tmp_path / "alone"
    (alone / "business").mkdir(parents=True)
    shutil.copy(corpus / documented.file, alone / documented.file)
    before = row_counts()

    status, _, summary = run_import(alone)

    assert (status, summary) == (
        1,
        "imported 0, updated 0, unchanged 0, skipped 0, failed 1, warnings 0, not carried over 0",
    )
    assert row_counts() == before


def test_a_rejected_update_keeps_the_episode_as_it_was(corpus, tmp_path):
    tree = tmp_path / "update"
    (tree / "business").mkdir(parents=True)
    shutil.copy(corpus / "business/61.md", tree / "business/61.md")
    run_import(tree)
    before = row_counts(), stored_episode("business/61")
    write_huge_transcript(tree / "business/61.md")

    status, output, _ = run_import(tree)

    assert status == 1
    assert "failed: business/61.md:26: the transcript cannot be rendered" in "\n".join(output)
    assert (row_counts(), stored_episode("business/61")) == before


@pytest.mark.django_db(transaction=True)
def test_a_rejected_file_does_not_spoil_the_next_one_in_its_new_column(corpus, tmp_path):
    """The column and tags the rejected file made are rolled back: the next file must make them anew."""
    tree = tmp_path / "fresh"
    write_huge_transcript(tree / "podcast/a.md")
    shutil.copy(corpus / "business/61.md", tree / "podcast/b.md")

    status, _, summary = run_import(tree)

    assert (status, summary) == (
        1,
        "imported 1, updated 0, unchanged 0, skipped 0, failed 1, warnings 0, not carried over 0",
    )
    episode = Episode.objects.get()
    assert (episode.legacy_path, episode.column.slug) == ("podcast/b", "podcast")
    assert sorted(episode.tags.names()) == ["出口", "芯片"]
    assert Column.objects.count() == 1


def test_yaml_tags_build_no_python_object(corpus, tmp_path, monkeypatch):
    commands = []
    monkeypatch.setattr(os, "system", commands.append)
    tree = tmp_path / "yaml"
    (tree / "business").mkdir(parents=True)
    for name in ["yaml-python-object.md", "yaml-python-name.md"]:
        shutil.copy(corpus / "business" / name, tree / "business" / name)

    _, _, summary = run_import(tree)

    assert summary.startswith("imported 0, updated 0, unchanged 0, skipped 0, failed 2,")
    assert commands == []


def test_variants_the_format_allows_import_as_meant(corpus):
    assert (corpus / "business/bom.md").read_bytes().startswith("\ufeff---".encode())
    assert (corpus / "business/crlf.md").read_bytes().count(b"\r\n") > 20

    run_import(corpus)

    plain = Episode.objects.get(legacy_path="business/61")
    for path, title in [
        ("business/bom", "【产经破壁机077】带 BOM 的一期"),
        ("business/crlf", "【产经破壁机078】Windows 换行的一期"),
    ]:
        episode = Episode.objects.get(legacy_path=path)
        assert episode.title == title
        assert list(episode.tabs.values_list("label", "embed__url")) == [
            ("B站", "https://www.bilibili.com/video/BV1nezJYfEPc/"),
            ("YouTube", "https://www.youtube.com/watch?v=mxm7Vf6YPjo"),
        ]
        # The standard warning was recognised: it is the transcript's state, not a callout.
        assert (episode.transcript.status, episode.warnings.count()) == ("machine", 0)
        assert episode.transcript.source == plain.transcript.source
    assert sorted(Episode.objects.get(legacy_path="business/tags-hashes").tags.names()) == ["光伏", "芯片"]


def test_episodes_claiming_one_number_or_address_are_both_kept(client, corpus):
    run_import(corpus)

    assert sorted(Episode.objects.filter(number=61).values_list("legacy_path", "slug")) == [
        ("business/61", "61"),
        ("business/61-重制版", "61-重制版"),
    ]
    assert sorted(Episode.objects.filter(slug__startswith="special").values_list("legacy_path", "slug")) == [
        ("business/Special Episode", "special-episode"),
        ("business/special-episode", "special-episode-2"),
    ]
    for old, new in [
        ("/business/Special%20Episode", "/business/special-episode/"),
        ("/business/special-episode", "/business/special-episode-2/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new)
        assert client.get(new).status_code == 200


def test_tabs_keep_what_the_wiki_had_when_their_players_cannot_be_used(corpus):
    run_import(corpus)

    def tabs(path):
        return list(Episode.objects.get(legacy_path=path).tabs.values_list("label", "embed__url"))

    bilibili = "https://www.bilibili.com/video/BV1nezJYfEPc/"
    assert tabs("business/placeholder-players") == [("B站", None), ("YouTube", None)]
    assert tabs("business/nested-tabsets") == [
        ("B站", bilibili),
        ("YouTube", "https://www.youtube.com/watch?v=mxm7Vf6YPjo"),
    ]
    assert tabs("business/commented-out-player") == [("B站", bilibili)]
    assert tabs("business/tabset-never-closed") == [("B站", bilibili), ("国产替代", None)]
    unclosed = Episode.objects.get(legacy_path="business/tabset-never-closed")
    assert unclosed.transcript.source == ""
    assert "光刻机仍然是最难的一环" in unclosed.tabs.get(label="国产替代").wiki_markup
    assert Episode.objects.get(legacy_path="business/title-without-number").number is None


def test_a_site_page_too_long_to_render_is_reported_where_its_text_starts(tmp_path):
    front = "---\ntitle: 关于本站\ndescription: \npublished: true\ndate: 2024-11-30T11:34:46.199Z\neditor: markdown\n---\n\n"
    (tmp_path / "about.md").write_text(front + "长" * 600_000, encoding="utf-8")

    status, output, _ = run_import(tmp_path)

    assert status == 1
    assert "failed: about.md:9: the page cannot be rendered: the text has 600,0" in "\n".join(output)
    assert not Page.objects.exists()
