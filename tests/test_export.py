import os
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from column.models import Column, Page
from episodes.models import Embed, Episode, Warning
from tests.factories import make_episode
from tests.wikijs_trees import SAMPLE, run_import

pytestmark = pytest.mark.django_db


def snapshot(*, with_paths=True):
    """Everything the import writes, in a form two databases can be compared by."""
    episodes = Episode.objects.select_related("column", "transcript").prefetch_related(
        "tags", "tabs__embed", "warnings"
    )
    return {
        "columns": sorted(
            (c.slug, c.name, c.description, tuple((n.kind, n.text) for n in c.notices.all()))
            for c in Column.objects.prefetch_related("notices")
        ),
        "pages": sorted(
            (p.path, p.title, p.description, p.body, p.is_published, p.column and p.column.slug)
            for p in Page.objects.select_related("column")
        ),
        "episodes": sorted(
            (
                e.legacy_path if with_paths else "",
                e.column.slug,
                e.number,
                e.slug,
                e.title,
                e.description,
                e.status,
                e.published_at,
                tuple(sorted(e.tags.names())),
                tuple((t.label, t.player.url if t.player else "") for t in e.tabs.all()),
                tuple((w.kind, w.text) for w in e.warnings.all()),
                e.transcript.source,
            )
            for e in episodes
        ),
    }


def export_and_reimport(tmp_path):
    """Export, empty the database, import the export; return the export's folder."""
    outdir = tmp_path / "export"
    call_command("export_wikijs", str(outdir), stdout=None)
    for model in (Episode, Page, Column):
        model.objects.all().delete()
    status, output, _ = run_import(outdir)
    assert status == 0, output
    return outdir


def test_import_export_import_leaves_the_database_unchanged(tree, tmp_path):
    run_import(tree)
    before = snapshot()

    outdir = export_and_reimport(tmp_path)

    assert snapshot() == before
    for source in tree.rglob("*.md"):
        exported = (outdir / source.relative_to(tree)).read_text(encoding="utf-8")
        assert exported.rstrip() == source.read_text(encoding="utf-8").rstrip(), source


def test_edited_episode_exports_its_changes_in_the_wiki_form(tree, tmp_path):
    run_import(tree)
    episode = Episode.objects.get(legacy_path="business/51")
    episode.title = "【产经破壁机051】改过的标题: 含冒号"
    episode.save()
    episode.tags.set(["芯片"])
    youtube = episode.tabs.get(label="YouTube")
    Embed.objects.create(tab=youtube, url="https://www.youtube.com/watch?v=mxm7Vf6YPjo")
    Warning.objects.create(episode=episode, kind="danger", text="第一行\n\n第二行", position=5)
    before = snapshot()

    outdir = export_and_reimport(tmp_path)

    assert snapshot() == before
    text = (outdir / "business/51.md").read_text(encoding="utf-8")
    assert 'title: "【产经破壁机051】改过的标题: 含冒号"' in text
    assert "tags: 芯片\n" in text
    assert 'src="https://www.youtube-nocookie.com/embed/mxm7Vf6YPjo"' in text
    assert "> 第一行\n>\n> 第二行\n{.is-danger}" in text


def test_episode_made_in_the_cms_exports_and_imports_back(column, tmp_path):
    make_episode(
        column,
        9,
        tabs=[("B站", "BV1nezJYfEPc"), ("播客", "https://media.example.org/9.mp3")],
        transcript="<font color=indigo>主持人</font>：正文",
        tags=["光伏"],
        published_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    Warning.objects.create(episode=Episode.objects.get(), kind="warning", text="以下文本为音频转录结果。")
    before = snapshot(with_paths=False)

    outdir = export_and_reimport(tmp_path)

    after = snapshot(with_paths=False)
    # The export gave the column a page of its own, which the import keeps.
    assert after["pages"] == [("business", "产经破壁机", "", "", True, "business")]
    assert (after["columns"], after["episodes"]) == (before["columns"], before["episodes"])
    text = (outdir / "business/9.md").read_text(encoding="utf-8")
    assert "# Tabs {.tabset}\n\n## B站\n\n" in text
    assert "dateCreated: 2025-01-02T03:04:05.000Z" in text


@pytest.mark.slow  # the whole sample archive
@pytest.mark.skipif(
    not SAMPLE.is_dir() and not os.environ.get("CI"), reason="the archive sample is not beside the repo"
)
def test_archive_sample_round_trips_byte_for_byte(tmp_path):
    run_import(SAMPLE)
    before = snapshot()

    outdir = export_and_reimport(tmp_path)

    assert snapshot() == before
    pages = [p for p in SAMPLE.rglob("*.md") if p.read_bytes().startswith(b"---")]
    differing = [
        str(p.relative_to(SAMPLE))
        for p in pages
        if (outdir / p.relative_to(SAMPLE)).read_text(encoding="utf-8").rstrip()
        != p.read_text(encoding="utf-8").rstrip()
    ]
    assert differing == []
