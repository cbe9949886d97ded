"""Writing the site back as the wiki's git repository: one commit per revision since the last export.

So that the public git archive keeps receiving the column's edits while the
wiki and the CMS run side by side. Each commit is authored by the revision's
author (a volunteer's name, or an editor's), dated when the revision was
made, and carries the revision's comment as its message; the revision's
number closes the message (`Revision-Id: 123`), so the next export starts
after it.
"""

import os
import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.models import Revision

from episodes.models import Episode
from episodes.revisions import credited_name
from wikijs.exporter import episode_text, export_tree

REVISION_TRAILER = "Revision-Id"
EXPORTED = re.compile(rf"^{REVISION_TRAILER}: (\d+)$", re.MULTILINE)


def export_git(outdir):
    """Commit each revision made since the last export, then the tree as it is now; return the commits made."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if not (outdir / ".git").exists():
        _git(outdir, "init", "-q")
    episodes = ContentType.objects.get_for_model(Episode)
    revisions = (
        Revision.objects.filter(pk__gt=_last_exported(outdir), version__content_type=episodes)
        .distinct()
        .select_related("user", "authorship")
        .order_by("pk")
    )
    commits = 0
    for revision in revisions.iterator(chunk_size=100):
        for episode_id in revision.version_set.filter(content_type=episodes).values_list(
            "object_id", flat=True
        ):
            path, text = _page_as_of(revision, int(episode_id))
            if path:
                _write(outdir, path, text)
        message = f"{revision.get_comment() or 'docs: update'}\n\n{REVISION_TRAILER}: {revision.pk}"
        commits += _commit(outdir, message, credited_name(revision), revision.date_created.isoformat())
    export_tree(outdir)
    commits += _commit(outdir, "docs: export", settings.SITE_NAME, None)
    return commits


def _page_as_of(revision, episode_id):
    """The episode's page as `revision` left it, read by restoring it for a moment and undoing that."""
    with transaction.atomic():
        revision.revert(delete=True)
        episode = Episode.objects.filter(pk=episode_id).first()
        page = (episode.wiki_path, episode_text(episode)) if episode else (None, None)
        transaction.set_rollback(True)
    return page


def _last_exported(outdir):
    if _git(outdir, "rev-parse", "-q", "--verify", "HEAD", check=False):
        return 0  # a repository without a commit yet
    log = _git(outdir, "log", "--format=%B", capture=True)
    return max((int(number) for number in EXPORTED.findall(log)), default=0)


def _commit(outdir, message, author, date):
    _git(outdir, "add", "-A")
    if not _git(outdir, "diff", "--cached", "--quiet", check=False):
        return 0
    name = author or settings.SITE_NAME
    environment = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": "", "GIT_COMMITTER_NAME": name}
    environment["GIT_COMMITTER_EMAIL"] = ""
    if date:
        environment |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    _git(outdir, "commit", "-q", "--no-verify", "-m", message, environment=environment)
    return 1


def _write(outdir, path, text):
    target = outdir / f"{path}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _git(outdir, *args, check=True, capture=False, environment=None):
    """Run git in `outdir`; with `check=False`, return whether it failed (diff --quiet: whether it differs)."""
    result = subprocess.run(
        ["git", "-C", str(outdir), "-c", "user.useConfigOnly=false", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(environment or {})},
        check=check,
    )
    if capture:
        return result.stdout
    return result.returncode != 0
