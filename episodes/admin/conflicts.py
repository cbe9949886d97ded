"""Two editors on one episode: what the other one changed, and one's own edit re-applied on top of it.

An editor's form carries the version it was loaded from. When someone else
saved in between, the editor is shown the other person's change (from that
version to the episode as it now is) and may re-apply their own: each part
of the form they changed is laid on the episode as it now is, the transcript
line by line, and where both changed the same part the two are not merged
but named.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext, pgettext
from merge3 import Merge3

from episodes.diff import fold_unchanged, transcript_diff
from episodes.models import Episode
from episodes.players import normalise_player_link
from episodes.revisions import episode_versions, revision_snapshot, snapshot_changes

# The parts of the episode's page edited in inline forms: each formset's prefix is the part's
# name in a revision's snapshot.
INLINE_PARTS = frozenset({"tabs", "warnings"})
TRANSCRIPT_PREFIX = "transcript-0-"


def loaded_version(episode, loaded):
    """The revision of `episode` an editor's form was loaded from (by its save time), or None.

    Revisions keep times to the millisecond, the form to the microsecond.
    """
    try:
        loaded_at = datetime.fromisoformat(loaded)
    except ValueError:
        return None
    for version in episode_versions(episode)[:50]:
        updated_at = version.field_dict.get("updated_at")
        if updated_at is not None and timedelta(0) <= loaded_at - updated_at < timedelta(milliseconds=1):
            return version
    return None


@dataclass
class Reapplied:
    data: object  # the form's data, now on top of the other person's change
    overlaps: list = field(default_factory=list)  # the parts both changed, by label


def _as_posted(form_field, name, value):
    """`value` as a browser posts it in the field `name`: {key: text}, a key per widget."""
    widget = form_field.widget
    prepared = form_field.prepare_value(value)
    if isinstance(widget, forms.MultiWidget):
        values = widget.decompress(prepared)
        keys = [f"{name}{suffix}" for suffix in widget.widgets_names]
        return {
            key: _text(subwidget, part)
            for key, subwidget, part in zip(keys, widget.widgets, values, strict=True)
        }
    return {name: _text(widget, prepared)}


def _text(widget, value):
    formatted = widget.format_value(value)
    return "" if formatted is None else str(formatted)


class EditConflict:
    """The episode as it is now against the version an editor loaded."""

    def __init__(self, episode, loaded):
        self.episode = episode
        versions = list(episode_versions(episode)[:1])
        self.latest = versions[0] if versions else None
        self.base = loaded_version(episode, loaded)

    @property
    def can_reapply(self):
        return self.base is not None and self.latest is not None

    def their_changes(self):
        """(changes, transcript rows) from the loaded version to now, for the conflict panel."""
        if not self.can_reapply:
            return [], []
        before, after = revision_snapshot(self.base.revision), revision_snapshot(self.latest.revision)
        rows = fold_unchanged(transcript_diff(before["transcript"], after["transcript"]))
        return snapshot_changes(before, after), rows

    def reapply(self, data, episode_form_class, inline_formsets):
        """`data` (an editor's POST) laid onto the episode as it is now; the overlaps are left as they were."""
        data = data.copy()
        base_snapshot = revision_snapshot(self.base.revision)
        now_snapshot = revision_snapshot(self.latest.revision)
        overlaps = []
        overlaps += self._reapply_details(data, episode_form_class)
        for formset, label in inline_formsets:
            overlaps += self._reapply_inline(data, formset, label, base_snapshot, now_snapshot)
        overlaps += self._reapply_transcript(data, base_snapshot, now_snapshot)
        data["loaded_version"] = self.episode.updated_at.isoformat()
        return Reapplied(data, overlaps)

    def _reapply_details(self, data, form_class):
        overlaps = []
        form = form_class(instance=self.episode)
        stored = self.base.field_dict
        base_instance = Episode(
            **{f.attname: stored[f.attname] for f in Episode._meta.concrete_fields if f.attname in stored}
        )
        names = [name for name in form.fields if name not in {"loaded_version", "revision_comment", "tags"}]
        base = model_to_dict(base_instance, fields=names)
        now = model_to_dict(self.episode, fields=names)
        for name in names:
            form_field = form.fields[name]
            mine = form_field.widget.value_from_datadict(data, {}, name)
            mine_changed = form_field.has_changed(base.get(name), mine)
            theirs_changed = base.get(name) != now.get(name)
            if not theirs_changed:
                continue
            if not mine_changed:
                data.update(_as_posted(form_field, name, now.get(name)))
            elif form_field.has_changed(now.get(name), mine):
                overlaps.append(str(form_field.label))
        return overlaps

    def _reapply_inline(self, data, formset, label, base_snapshot, now_snapshot):
        """A formset's rows: the editor's if they changed them, else the episode's as it is now."""
        key = formset.prefix
        if base_snapshot[key] == now_snapshot[key]:
            return []
        mine = _posted_rows(data, formset.prefix, key)
        if mine == base_snapshot[key]:
            for name in [name for name in data if name.startswith(f"{formset.prefix}-")]:
                del data[name]
            data.update(_formset_as_posted(formset))
            return []
        return [] if mine == now_snapshot[key] else [label]

    def _reapply_transcript(self, data, base_snapshot, now_snapshot):
        overlaps = []
        status_key, source_key = f"{TRANSCRIPT_PREFIX}status", f"{TRANSCRIPT_PREFIX}source"
        base_status, now_status = base_snapshot["transcript_status"], now_snapshot["transcript_status"]
        if data.get(status_key) == base_status:
            data[status_key] = now_status
        elif base_status != now_status and data.get(status_key) != now_status:
            overlaps.append(gettext("校对状态"))
        if source_key in data:
            mine = data[source_key].replace("\r\n", "\n")
            merged, clashed = merge_text(base_snapshot["transcript"], mine, now_snapshot["transcript"])
            if clashed:
                overlaps.append(pgettext("transcript", "文稿"))
            else:
                data[source_key] = merged
        return overlaps


def merge_text(base, mine, theirs):
    """Both edits of `base` in one text, line by line, and whether any line was changed by both."""
    lines = Merge3(base.splitlines(True), mine.splitlines(True), theirs.splitlines(True))
    merged, clashed = [], False
    for group in lines.merge_groups():
        if group[0] == "conflict":
            clashed = True
            merged.extend(group[2])
        else:
            merged.extend(group[1])
    return "".join(merged), clashed


def _posted_rows(data, prefix, key):
    """The rows an editor's form posts for a formset, as a snapshot holds them."""
    rows = []
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except ValueError:
        return None
    for index in range(total):
        row = f"{prefix}-{index}-"
        if data.get(f"{row}DELETE"):
            continue
        if key == "tabs":
            if not data.get(f"{row}label"):
                continue
            try:
                url = normalise_player_link(data.get(f"{row}url", ""))
            except forms.ValidationError:
                url = data.get(f"{row}url", "")
            rows.append((data[f"{row}label"], url, _int(data.get(f"{row}position"))))
        else:
            if not data.get(f"{row}text"):
                continue
            text = data[f"{row}text"].replace("\r\n", "\n")
            rows.append((data.get(f"{row}kind", ""), text, _int(data.get(f"{row}position"))))
    return [row[:2] for row in sorted(rows, key=lambda row: row[2])]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _formset_as_posted(formset):
    """An unbound formset's rows as a browser would post them, with its management form."""
    posted = {}
    management = formset.management_form
    for name, form_field in management.fields.items():
        posted.update(_as_posted(form_field, management.add_prefix(name), management.initial.get(name)))
    for form in formset.initial_forms:
        for name, form_field in form.fields.items():
            if name == "DELETE":
                continue
            value = form.get_initial_for_field(form_field, name)
            posted.update(_as_posted(form_field, form.add_prefix(name), value))
    return posted
