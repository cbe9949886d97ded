"""Writing the content back as a Wiki.js tree.

Each page is written from the database. Where a part of an imported page
(a front matter line, the tabset, the callouts) still says what the database
says, the wiki's own lines are written back, so that an unchanged page
leaves as it came in; a part that changed is written in the wiki's usual
form.
"""

from datetime import UTC
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from column.models import Column, Page
from episodes.models import Episode, Tab
from episodes.players import normalise_player_link
from wikijs.parser import PLAYER_SRC, read_front_matter, tab_notice

FRONT_MATTER_KEYS = ["title", "description", "published", "date", "tags", "editor", "dateCreated"]

VIDEO_MARKUP = (
    '<div style="position: relative; padding: 30% 45%;">\n'
    '<iframe style="position: absolute; width: 100%; height: 100%; left: 0; top: 0;" src="{src}" '
    'scrolling="no" border="0" frameborder="no" framespacing="0" allowfullscreen="true"></iframe>\n'
    "</div>"
)
AUDIO_MARKUP = '<audio controls preload="none" src="{src}"></audio>'


def export_tree(outdir):
    """Write every column, page and episode under `outdir`; return the number of files."""
    outdir = Path(outdir)
    written = 0
    column_pages = {page.path: page for page in Page.objects.filter(column__isnull=False)}
    for column in Column.objects.prefetch_related("notices"):
        page = column_pages.get(column.slug)
        # A folder alone makes a column named after it; anything more needs the column's page.
        if page or column.name != column.slug or column.description or column.notices.all():
            _write(outdir, column.slug, _column_text(column, page))
            written += 1
    for page in Page.objects.exclude(path__in=Column.objects.values("slug")):
        _write(outdir, page.path, _page_text(page))
        written += 1
    episodes = Episode.objects.select_related("column", "transcript").prefetch_related(
        "tags", "warnings", Prefetch("tabs", Tab.objects.select_related("embed"))
    )
    for episode in episodes.iterator(chunk_size=200):
        _write(outdir, episode.wiki_path, episode_text(episode))
        written += 1
    return written


def _write(outdir, path, text):
    target = outdir / f"{path}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def episode_text(episode):
    layout = episode.wiki_metadata.get("layout", {})
    tabs = list(episode.tabs.all())
    warnings = [[w.kind, w.text] for w in episode.warnings.all()]
    if episode.shows_proofreading_warning():
        warnings.insert(0, ["warning", episode.column.default_warning.strip()])
    tabset = layout.get("tabset")
    changed = [[t.label, t.player.url if t.player else ""] for t in tabs] != layout.get("tabs") or any(
        t.notice != tab_notice(t.wiki_markup) for t in tabs
    )
    if tabset is None or changed:
        tabset = _tabset_lines(tabs, layout.get("tabset"))
    between = layout.get("between")
    if between is None or warnings != layout.get("callouts"):
        between = _callout_lines(warnings)
    transcript = getattr(episode, "transcript", None)
    front = _front_matter(
        layout.get("front", []),
        title=episode.title,
        description=episode.description,
        published=episode.status == Episode.Status.PUBLISHED,
        date=episode.updated_at,
        tags=sorted(episode.tags.names()),
        dateCreated=episode.published_at or episode.created_at,
    )
    body = layout.get("before", []) + tabset + between + _lines(transcript.source if transcript else "")
    return _page(front, body)


def _column_text(column, page):
    layout = page.wiki_metadata.get("layout", {}) if page else {}
    notices = [[n.kind, n.text] for n in column.notices.all()]
    between = layout.get("between")
    if between is None or notices != layout.get("callouts"):
        between = _callout_lines(notices)
    front = _front_matter(
        layout.get("front", []),
        title=column.name,
        description=column.description,
        published=True,
        date=column.updated_at,
        tags=[],
        dateCreated=column.created_at,
    )
    body = layout.get("before", []) + layout.get("tabset", []) + between + _lines(page.body if page else "")
    return _page(front, body)


def _page_text(page):
    front = _front_matter(
        page.wiki_metadata.get("layout", {}).get("front", []),
        title=page.title,
        description=page.description,
        published=page.is_published,
        date=page.updated_at,
        tags=[],
        dateCreated=page.updated_at,
    )
    return _page(front, _lines(page.body))


def _lines(text):
    return [text] if text else []


def _page(front, body_lines):
    return "\n".join(["---", *front, "---", *body_lines])


def _front_matter(original_lines, editor="markdown", **values):
    """Front matter lines: the original line for each value that did not change."""
    values["editor"] = editor
    original = read_front_matter(original_lines)[0] if original_lines else None
    lines = []
    keys = [line.partition(":")[0].strip() for line in original_lines] or FRONT_MATTER_KEYS
    keys += [key for key in FRONT_MATTER_KEYS if key not in keys]
    original_by_key = {line.partition(":")[0].strip(): line for line in original_lines}
    for key in keys:
        if key not in values or (key in original_by_key and _unchanged(key, original, values[key])):
            lines.append(original_by_key[key])
        else:
            lines.append(f"{key}: {_front_value(key, values[key])}")
    return lines


def _unchanged(key, original, value):
    if key in {"date", "dateCreated", "editor"}:
        return True  # history kept as the wiki had it
    if key == "tags":
        return sorted(original.tags) == value
    return getattr(original, key) == value


def _front_value(key, value):
    if key in {"date", "dateCreated"}:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if key == "published":
        return "true" if value else "false"
    if key == "tags":
        return ", ".join(value)
    text = str(value)
    try:
        plain = yaml.safe_load(f"value: {text}") == {"value": text}
    except yaml.YAMLError:
        plain = False
    return text if plain else yaml.safe_dump(text, allow_unicode=True, default_style='"').strip()


def _tabset_lines(tabs, original):
    if not tabs:
        return []
    heading = original[0] if original else "# Tabs {.tabset}"
    level = len(heading) - len(heading.lstrip("#"))
    lines = [heading, ""]
    for tab in tabs:
        lines += ["#" * (level + 1) + " " + tab.label, "", _tab_markup(tab), "", ""]
    return [*lines, "#" * level, ""]


def _tab_markup(tab):
    """The tab's markup as the wiki had it, unless its notice or player has changed since."""
    if tab_notice(tab.wiki_markup) == tab.notice and _same_player(tab):
        return tab.wiki_markup
    player = tab.player
    parts = [tab.notice] if tab.notice else []
    if player is not None:
        parts.append((AUDIO_MARKUP if player.is_audio else VIDEO_MARKUP).format(src=player.player_url))
    return "\n\n".join(parts)


def _same_player(tab):
    source = PLAYER_SRC.search(tab.wiki_markup)
    if tab.player is None:
        return source is None or not _playable(source.group(2))
    return source is not None and _playable(source.group(2)) == tab.player.url


def _playable(src):
    try:
        return normalise_player_link(src)
    except ValidationError:
        return None  # the wiki had a placeholder where a player would go


def _callout_lines(callouts):
    lines = []
    for kind, text in callouts:
        lines += [f"> {line}".rstrip() if line else ">" for line in text.split("\n")]
        lines += [f"{{.is-{kind}}}", ""]
    return lines
