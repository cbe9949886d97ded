"""An import killed mid-way leaves every episode whole, old or new, and running it again completes it.

`manage.py import_wikijs` runs in a process of its own on a SQLite database
of its own, re-importing changed pages and importing new ones, and is
killed with SIGKILL while it writes. Each file is one transaction: an
episode is in the database with all its rows (tabs, players, tags,
transcript, search entry, revision) as one version of its file, or not at all.
"""

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from bench.archive import generate_tree
from tests.servers import subprocess_environment
from wikijs.parser import parse_page

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
PAGES = 150
COLUMN_PAGES = 4  # generate_tree's columns
REVISED = "revisedtranscript"  # one word to the search index


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def revise(text):
    """A new version of a generated page: a tab renamed, a paragraph added."""
    return text.replace("## YouTube", "## 油管") + f"\n{REVISED}\n"


def query(database, sql, *params):
    with closing(sqlite3.connect(database, timeout=10)) as connection:
        return connection.execute(sql, params).fetchall()


def count(database, sql, *params):
    return query(database, sql, *params)[0][0]


def wait_until(condition, importer, log, seconds=120):
    deadline = time.monotonic() + seconds
    while not condition():
        assert importer.poll() is None, f"the import ended before it was killed:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"the import made no progress:\n{log.read_text()}"
        time.sleep(0.005)


def problems_with_episodes(database, versions):
    """What is not whole: each episode must be one version of its file in every row, or absent.

    `versions` holds, by legacy path, each version's parsed page by its text's hash.
    """
    problems = []
    episodes = query(database, "SELECT id, legacy_path, source_hash, title FROM episodes_episode")
    for episode_id, legacy_path, source_hash, title in episodes:
        page = versions[legacy_path].get(source_hash)
        if page is None:
            problems.append(f"{legacy_path}: stored from no version of its file")
            continue
        # The second version of a page imported before: its second revision, its new words indexed.
        is_revision = REVISED in page.body
        tabs = query(
            database,
            "SELECT tab.label, embed.url FROM episodes_tab tab LEFT JOIN episodes_embed embed"
            " ON embed.tab_id = tab.id WHERE tab.episode_id = ? ORDER BY tab.position",
            episode_id,
        )
        tags = query(
            database,
            "SELECT tag.name FROM taggit_taggeditem item JOIN taggit_tag tag ON tag.id = item.tag_id"
            " JOIN django_content_type type ON type.id = item.content_type_id"
            " WHERE type.model = 'episode' AND item.object_id = ?",
            episode_id,
        )
        transcripts = query(
            database, "SELECT source FROM episodes_transcript WHERE episode_id = ?", episode_id
        )
        search_bodies = query(database, "SELECT body FROM episodes_search WHERE rowid = ?", episode_id)
        revisions = query(
            database,
            "SELECT count(*) FROM reversion_version version JOIN django_content_type type"
            " ON type.id = version.content_type_id WHERE type.model = 'episode' AND version.object_id = ?",
            str(episode_id),
        )
        whole = {
            "title": title == page.title,
            "tabs": tabs == [(tab.label, tab.url) for tab in page.tabs],
            "tags": sorted(name for (name,) in tags) == sorted(page.tags),
            "transcript": transcripts == [(page.body,)],
            "search entry": len(search_bodies) == 1 and (REVISED in search_bodies[0][0]) == is_revision,
            "revisions": revisions == [(1 + is_revision,)],
        }
        problems += [f"{legacy_path}: {part} not of one version" for part, ok in whole.items() if not ok]
    orphans = query(
        database,
        "SELECT 'tab', count(*) FROM episodes_tab WHERE episode_id NOT IN (SELECT id FROM episodes_episode)"
        " UNION ALL SELECT 'transcript', count(*) FROM episodes_transcript"
        " WHERE episode_id NOT IN (SELECT id FROM episodes_episode)"
        " UNION ALL SELECT 'search entry', count(*) FROM episodes_search"
        " WHERE rowid NOT IN (SELECT id FROM episodes_episode)",
    )
    problems += [f"{rows} {kind} rows of no episode" for kind, rows in orphans if rows]
    return problems + [f"dangling reference: {row}" for row in query(database, "PRAGMA foreign_key_check")]


def test_a_killed_import_leaves_each_episode_whole_and_a_rerun_completes_it(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = subprocess_environment(
        DATABASE_URL=f"sqlite:///{database}", REDIS_URL="", DEBUG="0", SECRET_KEY="killed-import-" + "x" * 40
    )
    assert manage("migrate", "--noinput", env=env).returncode == 0
    tree = generate_tree(tmp_path / "wiki", pages=PAGES, characters=300)
    # One column imported already, then changed: the killed import updates it before the new columns.
    assert manage("import_wikijs", str(tree / "business"), "--root", str(tree), env=env).returncode == 0
    versions = {}
    for path in tree.glob("*/*/*.md"):
        legacy_path = path.relative_to(tree).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8")
        texts = [text, revise(text)] if legacy_path.startswith("business/") else [text]
        path.write_text(texts[-1], encoding="utf-8")
        versions[legacy_path] = {sha256(version): parse_page(version) for version in texts}

    log = tmp_path / "import.log"
    with log.open("w") as output:
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_wikijs", str(tree)],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # Killed after a random number of pages, wherever it is then: in a transaction or between two.
    pages_written = count(database, "SELECT count(*) FROM reversion_revision") + random.randint(5, PAGES // 3)
    try:
        wait_until(
            lambda: count(database, "SELECT count(*) FROM reversion_revision") >= pages_written, importer, log
        )
    finally:
        # The whole process group, the renderer's helper process with it, as a crash would.
        os.killpg(importer.pid, signal.SIGKILL)
        importer.wait()

    stored = dict(query(database, "SELECT legacy_path, source_hash FROM episodes_episode"))
    assert importer.returncode == -signal.SIGKILL, f"killed after {pages_written} revisions"
    assert len(stored) < PAGES, f"the import was over before it was killed after {pages_written} revisions"
    assert problems_with_episodes(database, versions) == [], f"killed after {pages_written} revisions"

    current = {path: sha256((tree / f"{path}.md").read_text(encoding="utf-8")) for path in versions}
    up_to_date = sum(stored[path] == current[path] for path in stored)
    column_pages = count(database, "SELECT count(*) FROM column_page")

    result = manage("import_wikijs", str(tree), env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"imported {COLUMN_PAGES - column_pages + PAGES - len(stored)}, updated {len(stored) - up_to_date}, "
        f"unchanged {column_pages + up_to_date}, skipped 0, failed 0, warnings 0, not carried over 0"
    )
    assert dict(query(database, "SELECT legacy_path, source_hash FROM episodes_episode")) == current
    assert problems_with_episodes(database, versions) == []
