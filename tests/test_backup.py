"""`make backup` and `make restore`: a snapshot brings the whole site back into an empty database.

The site is built, saved, restored and read by `manage.py`, each time in a
process of its own, on databases of the test's own: SQLite files, or fresh
PostgreSQL databases when the suite runs on PostgreSQL. Their environment
names the database, the media folder and the cache outright, whatever the
suite's own are. The functions handed to `run_inside` run in those
processes.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import dj_database_url
import psycopg
import pytest
import reversion
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from backups.snapshots import write_snapshot
from column.models import Page
from episodes.models import Episode, SearchEntry, Transcript
from episodes.roles import EDITOR, sync_role_permissions
from pagecache.models import ContentVersion
from tests.factories import BILIBILI, YOUTUBE, make_column, make_episode
from tests.servers import drop_database, fresh_database_url, subprocess_environment
from wikijs.exporter import export_tree

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SAVED_TITLE = "【产经破壁机001】备份时改的标题"
SEARCHES = ["芯片", "光伏", "光刻机", "主持人", "新能源"]
CONTENT_MODELS = [
    "admin.LogEntry",
    "auth.User",
    "taggit.Tag",
    "reversion.Revision",
    "column.Column",
    "episodes.Episode",
]


def build_site():
    """Content of every kind a snapshot keeps, made as editors make it."""
    # As in a database that grew over the years, content types are not numbered as a fresh migrate numbers them.
    ContentType.objects.get_for_model(Episode).delete()
    ContentType.objects.clear_cache()
    create_permissions(apps.get_app_config("episodes"), verbosity=0)
    sync_role_permissions()

    editor = User.objects.create_user("editor", password="editor-password-1", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    column = make_column(
        episode_title_pattern="【产经破壁机{number:03}】",
        default_warning="以下文本为音频转录结果，存在一定错误，校对正在进行中。",
        about="每周一期，**产业**与经济。",
    )
    cover = io.BytesIO()
    Image.new("RGB", (12, 6), "indigo").save(cover, "PNG")
    column.image.save("cover.png", ContentFile(cover.getvalue()))
    column.notices.create(kind="info", text="节目每周五更新。")
    make_column(slug="finance", name="金融破壁机", position=1)
    Page.objects.create(path="status", title="校对进度", body="## 进度\n\n大部分文稿**已校对**。")
    Page.objects.create(path="business/1-10", title="1 - 10", column=column, body="- [第1期](/business/1)")

    chips = make_episode(
        column,
        1,
        title="【产经破壁机001】芯片产业的下一步",
        tabs=(("B站", BILIBILI), ("YouTube", YOUTUBE), ("播客", "")),
        transcript="## 开场\n\n<font color=indigo>主持人</font>：今天聊芯片。",
        tags=("芯片", "半导体"),
    )
    chips.warnings.create(kind="danger", text="本期内容仅代表**个人观点**。")
    solar = make_episode(
        column,
        2,
        title="【产经破壁机002】光伏过剩了吗",
        description="新能源的产能",
        transcript="光伏和芯片厂都在扩产。",
        tags=("光伏",),
    )
    Transcript.objects.filter(episode=solar).update(status=Transcript.Status.PROOFREAD)
    make_episode(column, 3, status=Episode.Status.DRAFT, transcript="还没写完的芯片稿子。")
    make_episode(column, 4, published_at=timezone.now() + timedelta(days=30), tags=("芯片",))

    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("初稿")
        reversion.add_to_revision(chips)
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("校对")
        chips.transcript.source += "\n\n光刻机是关键。"
        chips.transcript.save()
        chips.tags.add("光刻机")
        reversion.add_to_revision(chips)
    LogEntry.objects.log_actions(editor.pk, [chips], CHANGE, change_message="校对")


def back_up_while_an_editor_saves(directory):
    """Take a snapshot, with an editor's save landing between its dump and its export."""

    def export_after_a_save(outdir):
        commit_on_another_connection(f"UPDATE episodes_episode SET title = '{SAVED_TITLE}' WHERE slug = '1'")
        export_tree(outdir)

    with mock.patch("backups.snapshots.export_tree", export_after_a_save):
        write_snapshot(directory)


def commit_on_another_connection(sql):
    database_url = os.environ["DATABASE_URL"]
    if database_url.startswith("postgres"):
        with psycopg.connect(database_url, autocommit=True) as other:
            other.execute(sql)
    else:
        with closing(sqlite3.connect(dj_database_url.parse(database_url)["NAME"])) as other, other:
            other.execute(sql)


def read_site():
    """What readers see of the site, printed as JSON."""
    client = Client()
    addresses = [
        "/",
        "/business/",
        "/status/",
        *(f"/search/?q={query}" for query in SEARCHES),
        *(reverse("episodes:tag", kwargs={"slug": tag.slug}) for tag in Tag.objects.all()),
        *(episode.get_absolute_url() for episode in Episode.objects.public()),
    ]
    pages = {}
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        pages[address] = response.content.decode()
    searches = {query: [episode.wiki_path for episode in Episode.objects.search(query)] for query in SEARCHES}
    print(json.dumps({"pages": pages, "searches": searches}, ensure_ascii=False))


def print_rows(*labels):
    """The rows of the models named (of every content table by default), as JSON.

    Times keep their microseconds, which dumpdata would cut to milliseconds.
    """
    # The search index is rebuilt, and the page cache's version renewed by every write.
    models = [apps.get_model(label) for label in labels] or [
        model for model in apps.get_models() if model is not SearchEntry and model is not ContentVersion
    ]
    rows = (row for model in models for row in model._base_manager.order_by("pk"))
    print(json.dumps(serializers.serialize("python", rows), default=str, ensure_ascii=False))


def manage(site, *args, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=site.env, capture_output=True, text=True
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def run_inside(site, function, *args):
    code = f"from tests.test_backup import {function.__name__}; {function.__name__}(*{args!r})"
    return manage(site, "shell", "--no-imports", "--command", code).stdout


def rows(site, *labels):
    return json.loads(run_inside(site, print_rows, *labels))


def tables(site):
    code = "import json; from django.db import connection; print(json.dumps(connection.introspection.table_names()))"
    return json.loads(manage(site, "shell", "--no-imports", "--command", code).stdout)


def files_under(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """Make a site with an empty database of the suite's kind and an empty media folder."""
    made_databases = []

    def make(name):
        root = tmp_path_factory.mktemp(name)
        database_url = fresh_database_url(f"cms_backup_{os.getpid()}_{len(made_databases)}", root)
        made_databases.append(database_url)
        env = subprocess_environment(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(root / "media"),
            REDIS_URL="",
            DEBUG="1",
            ALLOWED_HOSTS="testserver",
        )
        return SimpleNamespace(root=root, media=root / "media", env=env)

    yield make
    for database_url in made_databases:
        drop_database(database_url)


@pytest.fixture(scope="module")
def original(new_site):
    """The site as editors left it, with the snapshot `backup` took of it."""
    site = new_site("original")
    manage(site, "migrate", "--noinput")
    run_inside(site, build_site)
    manage(site, "backup", str(site.root / "backups"))
    (site.snapshot,) = (site.root / "backups").iterdir()
    return site


@pytest.fixture(scope="module")
def restored(original, new_site):
    site = new_site("restored")
    manage(site, "restore", str(original.snapshot))
    return site


def test_a_snapshot_holds_the_dump_the_export_and_the_media(original):
    manifest = json.loads((original.snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["episodes.Episode"] == 4
    assert manifest["counts"]["reversion.Revision"] == 2
    assert {"data.json", "wiki/business/1.md", "wiki/status.md", "media/columns/cover.png"} <= set(
        manifest["files"]
    )
    cover = (original.snapshot / "media/columns/cover.png").read_bytes()
    assert manifest["files"]["media/columns/cover.png"] == hashlib.sha256(cover).hexdigest()
    assert cover == (original.media / "columns/cover.png").read_bytes()


def test_every_row_comes_back_as_it_was(original, restored):
    before = rows(original)
    assert {row["model"] for row in before} >= {"reversion.version", "taggit.taggeditem", "admin.logentry"}
    assert rows(restored) == before


def test_pages_and_search_read_the_same(original, restored):
    before = json.loads(run_inside(original, read_site))
    assert all(before["searches"].values())
    assert json.loads(run_inside(restored, read_site)) == before


def test_the_restored_site_exports_the_snapshots_wiki_byte_for_byte(restored, original):
    manage(restored, "export_wikijs", str(restored.root / "export"))
    assert files_under(restored.root / "export") == files_under(original.snapshot / "wiki")


def test_media_files_come_back(original, restored):
    assert files_under(restored.media) == files_under(original.media)


def test_the_dump_and_the_export_describe_one_moment_while_editors_save(new_site):
    site = new_site("busy")
    manage(site, "migrate", "--noinput")
    run_inside(site, build_site)

    run_inside(site, back_up_while_an_editor_saves, str(site.root / "backups"))

    (snapshot,) = (site.root / "backups").iterdir()
    assert SAVED_TITLE in {row["fields"]["title"] for row in rows(site, "episodes.Episode")}
    dumped = json.loads((snapshot / "data.json").read_text(encoding="utf-8"))
    assert SAVED_TITLE not in {row["fields"].get("title") for row in dumped}
    assert "【产经破壁机001】芯片产业的下一步" in (snapshot / "wiki/business/1.md").read_text(
        encoding="utf-8"
    )
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert sum(manifest["counts"].values()) == len(dumped)


def test_restore_refuses_a_database_with_content_and_changes_nothing(original):
    before = rows(original)

    result = manage(original, "restore", str(original.snapshot), check=False)

    assert result.returncode == 1
    assert "already holds content" in result.stderr
    assert rows(original) == before


def change_a_page(snapshot):
    page = snapshot / "wiki/business/1.md"
    page.write_text(page.read_text(encoding="utf-8").replace("芯片", "芯片厂", 1), encoding="utf-8")


@pytest.mark.parametrize(
    "damage, complaint",
    [
        (change_a_page, "damaged wiki/business/1.md"),
        (lambda snapshot: (snapshot / "media/columns/cover.png").unlink(), "missing media/columns/cover.png"),
        (lambda snapshot: (snapshot / "data.json").rename(snapshot / "data.json.bak"), "missing data.json"),
        (lambda snapshot: (snapshot / "manifest.json").unlink(), "no manifest.json"),
    ],
    ids=["changed", "missing-media", "missing-dump", "unfinished"],
)
def test_restore_refuses_a_damaged_snapshot_and_changes_nothing(original, new_site, damage, complaint):
    target = new_site("target")
    snapshot = shutil.copytree(original.snapshot, target.root / "snapshot")
    damage(snapshot)

    result = manage(target, "restore", str(snapshot), check=False)

    assert result.returncode == 1
    assert complaint in result.stderr
    assert tables(target) == []
    assert not target.media.exists()


def test_a_restore_that_fails_while_loading_leaves_no_content(original, new_site):
    target = new_site("target")
    snapshot = shutil.copytree(original.snapshot, target.root / "snapshot")
    data = json.loads((snapshot / "data.json").read_text(encoding="utf-8"))
    episode = next(row for row in data if row["model"] == "episodes.episode")
    episode["fields"].update(status="published", published_at=None)  # refused by a check constraint
    (snapshot / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["data.json"] = hashlib.sha256((snapshot / "data.json").read_bytes()).hexdigest()
    (snapshot / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    result = manage(target, "restore", str(snapshot), check=False)

    assert result.returncode == 1
    assert "could not be loaded" in result.stderr
    left = rows(target, "contenttypes.ContentType", *CONTENT_MODELS)
    assert left and {row["model"] for row in left} == {"contenttypes.contenttype"}
    assert not target.media.exists()
