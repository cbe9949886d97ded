"""The wiki's history, as Wiki.js kept it in git: every version of every page, oldest first,
and which of them are not revisions of the site's episodes yet.

Wiki.js commits each save (`docs: update main/801-900/881`), each creation
and each rename to a git repository. `read_history` reads it all with two
processes, whatever the size of the archive: one `git log` that lists, for
each commit, the pages it changed and the blobs they became (renames
followed), and one `git cat-file --batch` that reads those blobs.
"""

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import reversion
from django.db import transaction
from reversion.models import Version

from episodes import search
from episodes.models import Authorship, Episode
from markup.render import RenderRefused
from wikijs.parser import WikiPageError
from wikijs.tree import page_of

COMMIT_START = "\x01"
FIELDS = "%H%x00%an%x00%aI%x00%s%x00"


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str  # the name only: the archive's e-mail addresses are never read
    time: datetime
    message: str


@dataclass(frozen=True)
class PageVersion:
    commit: Commit
    path: str  # the page's file in that commit, relative to the tree's root
    blob: str


class History:
    """Each page's versions, keyed by the page's file now; the pages deleted since, apart."""

    def __init__(self, root):
        self.root = Path(root)
        self.pages = {}  # path now -> [PageVersion, ...], oldest first
        self.deleted = {}  # path when deleted -> its versions
        self.deletions = {}  # path when deleted -> the commit that deleted it

    def versions(self, relative_path):
        return self.pages.get(relative_path, [])

    def read_blobs(self, versions):
        """The text of each version, by blob, read in one batch."""
        blobs = sorted({version.blob for version in versions})
        if not blobs:
            return {}
        output = subprocess.run(
            ["git", "-C", str(self.root), "cat-file", "--batch"],
            input="\n".join(blobs).encode() + b"\n",
            capture_output=True,
            check=True,
        ).stdout
        texts, position = {}, 0
        for _ in blobs:
            header_end = output.index(b"\n", position)
            sha, _kind, size = output[position:header_end].decode().split()
            start = header_end + 1
            texts[sha] = output[start : start + int(size)]
            position = start + int(size) + 1
        return texts


def is_git_root(root):
    """Whether `root` is the top of a git working tree (a clone of the wiki's repository)."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return Path(top).resolve() == Path(root).resolve()


def read_history(root):
    """Every version of every page of the git working tree at `root`, renames followed."""
    output = subprocess.run(
        [
            "git", "-C", str(root), "-c", "core.quotepath=off", "log", "--reverse", "-M", "--raw",
            "--no-abbrev", "-z", f"--format={COMMIT_START}{FIELDS}", "--", "*.md",
        ],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", errors="replace")  # fmt: skip
    history = History(root)
    for chunk in output.split(COMMIT_START)[1:]:
        sha, author, time, message, changes = chunk.split("\x00", 4)
        commit = Commit(sha, author, datetime.fromisoformat(time), message)
        _apply(history, commit, changes.lstrip("\x00\n").split("\x00"))
    return history


def _apply(history, commit, fields):
    """Follow one commit's changes: `:old-mode new-mode old-blob new-blob STATUS`, then its path(s)."""
    index = 0
    while index < len(fields) and fields[index].startswith(":"):
        _old_mode, _new_mode, _old_blob, new_blob, status = fields[index][1:].split()
        if status[0] in "RC":
            source, path = fields[index + 1], fields[index + 2]
            index += 3
        else:
            source = path = fields[index + 1]
            index += 2
        if status[0] == "D":
            history.deleted[path] = history.pages.pop(path, [])
            history.deletions[path] = commit
            continue
        versions = history.pages.pop(source, []) if status[0] == "R" else history.pages.pop(path, [])
        if status[0] == "A" and not versions:
            # A page made again where one was deleted carries on that page's history.
            versions = history.deleted.pop(path, [])
            history.deletions.pop(path, None)
        history.pages[path] = [*versions, PageVersion(commit, path, new_blob)]


class WikiHistory:
    """The versions of the tree's episodes that are not revisions yet, with their texts, read at once."""

    def __init__(self, root, sources, deleted=True):
        history = read_history(root)
        imported = _imported_commits()
        self.pending = {}
        # Pages the wiki deleted: their histories stay, as drafts, closed by the deleting commit.
        self.deleted_pages = []
        if deleted:
            known = {source.legacy_path for source in sources}
            for path, versions in history.deleted.items():
                source = page_of(Path(root), Path(root) / path)
                if source.kind == "episode" and versions and source.legacy_path not in known:
                    self.deleted_pages.append((source, history.deletions[path]))
                    history.pages[path] = versions
                    sources = [*sources, source]
        self.renamed_from = {}  # path now -> the path its episode was imported at, before a rename
        current = {source.legacy_path for source in sources}
        for source in sources:
            if source.kind == "episode":
                versions = history.versions(source.path.relative_to(root).as_posix())
                done = imported.get(source.legacy_path, set())
                if not done:
                    done = self._imported_before_a_rename(source, versions, imported, current)
                self.pending[source.legacy_path] = [
                    version for version in versions if version.commit.sha not in done
                ]
        self.done = imported
        self.texts = history.read_blobs(
            [version for versions in self.pending.values() for version in versions]
        )

    def _imported_before_a_rename(self, source, versions, imported, current):
        """The commits imported for this page at its old path, which the wiki renamed; none if not so."""
        shas = {version.commit.sha for version in versions}
        for old_path, commits in imported.items():
            if old_path not in current and commits & shas:
                self.renamed_from[source.legacy_path] = old_path
                return commits
        return set()

    def deletion_pending(self, source, commit):
        """Whether the commit that deleted the page is not a revision of it yet."""
        return commit.sha not in self.done.get(source.legacy_path, set())

    def new_versions(self, source):
        """(version, bytes) of each commit of the page not imported yet, oldest first."""
        return [(version, self.texts[version.blob]) for version in self.pending.get(source.legacy_path, [])]


def _imported_commits():
    """The commits each episode's revisions were read from, by the episode's wiki path."""
    paths = dict(Episode.objects.exclude(legacy_path="").values_list("pk", "legacy_path"))
    commits = {}
    rows = Version.objects.get_for_model(Episode).filter(revision__authorship__isnull=False)
    for object_id, commit in rows.values_list("object_id", "revision__authorship__commit"):
        if int(object_id) in paths:
            commits.setdefault(paths[int(object_id)], set()).add(commit)
    return commits


class HistoryImport:
    """The importer's part that turns the wiki's commits into revisions (wikijs/importer.py)."""

    def import_history(self, source, wiki_history):
        """Make each commit of the page not imported yet a revision; the outcome, None if none changed it."""
        outcome = None
        if source.legacy_path in wiki_history.renamed_from:
            self.follow_rename(wiki_history.renamed_from[source.legacy_path], source)
        for version, raw in wiki_history.new_versions(source):
            version_outcome = self.import_version(source, version, raw)
            # A page the history made in this run was imported, however many versions followed.
            if version_outcome and outcome != "imported":
                outcome = version_outcome
            if outcome == "skipped":
                break  # edited in the CMS: the conflict is reported once, the rest waits
        return outcome

    def import_deleted_pages(self, wiki_history, dry_run=False):
        for source, deletion in wiki_history.deleted_pages:
            with transaction.atomic():
                for version, raw in wiki_history.new_versions(source):
                    self.import_version(source, version, raw)
                if wiki_history.deletion_pending(source, deletion):
                    self.record_deletion(source, deletion)
                if dry_run:
                    transaction.set_rollback(True)

    def import_version(self, source, version, raw):
        """Make one commit of the page's history a revision; its outcome, or None if it changed nothing.

        A version that cannot be imported (a broken page the wiki later
        mended) is reported and left out; the page's history goes on.
        """
        try:
            with (
                transaction.atomic(),
                reversion.create_revision(manage_manually=True),
                search.indexing_deferred(),
            ):
                reversion.set_comment(version.commit.message)
                reversion.set_date_created(version.commit.time)
                reversion.add_meta(Authorship, author=version.commit.author, commit=version.commit.sha)
                outcome = self.import_file(source, raw=raw)
                if outcome != "unchanged":
                    return outcome
                # A commit that left the text as it was (a rename) is in the history all the same.
                episode = Episode.objects.filter(legacy_path=source.legacy_path).first()
                if episode is not None:
                    reversion.add_to_revision(episode)
                return None
        except (WikiPageError, RenderRefused) as error:
            reason = getattr(error, "reason", None) or f"cannot render the page: {error}"
            line = getattr(error, "line", 1)
            self._warn(
                source,
                line,
                f"the version of commit {version.commit.sha[:10]} is left out of the history: {reason}",
            )
            return None

    def follow_rename(self, old_path, source):
        """The wiki renamed the page: its episode, and its history, now live at the new path."""
        Episode.objects.filter(legacy_path=old_path).update(legacy_path=source.legacy_path)
        self.imported_hashes[Episode][source.legacy_path] = self.imported_hashes[Episode].pop(old_path, "")

    def record_deletion(self, source, commit):
        """The wiki deleted the page: its episode becomes a draft, and the deleting commit a revision."""
        episode = Episode.objects.filter(legacy_path=source.legacy_path).first()
        if episode is None:
            return
        with reversion.create_revision(manage_manually=True):
            reversion.set_comment(commit.message)
            reversion.set_date_created(commit.time)
            reversion.add_meta(Authorship, author=commit.author, commit=commit.sha)
            episode.unpublish()
            reversion.add_to_revision(episode)
        # Unpublished by the wiki's own history, not by an editor.
        self._mark_imported(Episode, episode, episode.source_hash)
        self.report.warnings.append(
            f"{source.legacy_path}.md: deleted from the wiki by {commit.sha[:10]}; kept as a draft with its history"
        )
