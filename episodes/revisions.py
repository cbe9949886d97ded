"""Reading and restoring an episode's revisions (kept by django-reversion), and crediting their authors."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from reversion.models import Version

from episodes.models import Embed, Episode, Tab, Transcript, Warning


def revision_snapshot(revision):
    """What an episode's page said in one revision: details, players, warnings, transcript."""
    by_model = {}
    for version in revision.version_set.all():
        by_model.setdefault(version.content_type.model_class(), []).append(version.field_dict)
    episode = (by_model.get(Episode) or [{}])[0]
    players = {fields["tab_id"]: fields["url"] for fields in by_model.get(Embed, [])}
    tabs = sorted(by_model.get(Tab, []), key=lambda fields: (fields["position"], fields["id"]))
    warnings = sorted(by_model.get(Warning, []), key=lambda fields: (fields["position"], fields["id"]))
    transcript = (by_model.get(Transcript) or [{}])[0]
    return {
        "title": episode.get("title", ""),
        "description": episode.get("description", ""),
        "status": episode.get("status", ""),
        "tabs": [(tab["label"], players.get(tab["id"], "")) for tab in tabs],
        "warnings": [(warning["kind"], warning["text"]) for warning in warnings],
        "transcript": transcript.get("source", ""),
        "transcript_status": transcript.get("status", ""),
    }


def _choice_label(choices, value):
    return choices(value).label if value in choices.values else value


def _readable(key, value):
    """A part of a snapshot as editors read it: states by their names, one player or warning a line."""
    if key == "status":
        return _choice_label(Episode.Status, value)
    if key == "transcript_status":
        return _choice_label(Transcript.Status, value)
    if key == "tabs":
        return "\n".join(f"{label}：{url or '—'}" for label, url in value)
    if key == "warnings":
        return "\n".join(f"{_choice_label(Warning.Kind, kind)}：{text}" for kind, text in value)
    return value


def snapshot_changes(before, after):
    """What differs between two snapshots but the transcript, as (label, before, after) for editors."""
    labels = [
        ("title", gettext("标题")),
        ("description", gettext("简介")),
        ("status", gettext("状态")),
        ("tabs", pgettext("plural", "播放器")),
        ("warnings", pgettext("plural", "提示框")),
        ("transcript_status", gettext("校对状态")),
    ]
    return [
        (label, _readable(key, before[key]) or "—", _readable(key, after[key]) or "—")
        for key, label in labels
        if before[key] != after[key]
    ]


def episode_versions(episode):
    return (
        Version.objects.get_for_object(episode)
        .select_related("revision__user", "revision__authorship")
        .prefetch_related("revision__version_set__content_type")
    )


def restore_revision(episode, version, user):
    """Bring back the page as it was in `version`, as a new revision; publication stays as it is now."""
    status, published_at = episode.status, episode.published_at
    when = timezone.localtime(version.revision.date_created)
    with transaction.atomic(), reversion.create_revision():
        version.revision.revert(delete=True)
        Episode.objects.filter(pk=episode.pk).update(
            status=status, published_at=published_at, updated_at=timezone.now()
        )
        restored = Episode.objects.get(pk=episode.pk)
        reversion.add_to_revision(restored)
        reversion.set_user(user)
        reversion.set_comment(gettext("恢复到 %(time)s 的版本") % {"time": f"{when:%Y-%m-%d %H:%M}"})
    return restored


def latest_revision(episode):
    version = episode_versions(episode).first()
    return version.revision if version else None


def credited_name(revision):
    """Who made a revision, as the page credits them: the wiki volunteer's name, or the editor's."""
    authorship = getattr(revision, "authorship", None)
    if authorship is not None:
        return authorship.author
    if revision.user is not None:
        return revision.user.get_full_name() or revision.user.get_username()
    return ""


@dataclass(frozen=True)
class Credits:
    last_editor: str
    last_edited_at: datetime | None
    contributors: list  # (name, revisions), most revisions first


def page_credits(episode):
    """Who last edited the page and when, and everyone who did, as the wiki showed them."""
    revisions = [
        version.revision
        for version in Version.objects.get_for_object(episode).select_related(
            "revision__user", "revision__authorship"
        )
    ]
    if not revisions:
        return Credits("", None, [])
    names = [credited_name(revision) for revision in revisions]  # newest first
    counts = Counter(name for name in names if name)
    # Of two with as many revisions, who came first comes first.
    oldest = {name: index for index, name in enumerate(names)}
    contributors = sorted(counts.items(), key=lambda item: (-item[1], -oldest[item[0]]))
    return Credits(names[0], revisions[0].date_created, contributors)
