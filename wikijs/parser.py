"""Reading one Wiki.js page of the archive into its parts.

The format: YAML front matter between `---` lines; an optional tabset (a
heading ending in `{.tabset}`, its tabs the headings one level deeper, closed
by the next heading of its own level or higher); callouts (a blockquote
followed by `{.is-…}`); and the transcript, which is everything else.
Anything inside `<!-- … -->` is commented out.
"""

import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import yaml
from django.core.exceptions import ValidationError

from episodes.players import normalise_player_link
from markup.dialect import COMMENT
from markup.sanitise import player_source

HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
TABSET = re.compile(r"^(.*?)\s*\{\.tabset\}\s*$")
PLAYER_SRC = re.compile(
    r"""<(?:iframe|audio|source)\b[^>]*?\ssrc\s*=\s*(["']?)([^"'\s>]*)\1""", re.IGNORECASE
)
CALLOUT_CLASS = re.compile(r"^\{\.is-(info|warning|success|danger)\}\s*$")
FRONT_MATTER_LINE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:(.*)$")
TITLE_NUMBER = re.compile(r"^\s*【[^】]*?(?<![\d.])(-?\d+(?:\.\d+)?)】")


class WikiPageError(Exception):
    """A page that cannot be imported; `line` is 1-based within the file."""

    def __init__(self, line, reason):
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class WikiTab:
    label: str
    url: str
    content: str  # the tab's raw markup, as the wiki had it
    line: int = 0  # its heading's, 1-based within the file

    @property
    def notice(self):
        """The callouts written in the tab beside its player (`> 本期视频已被删除` `{.is-danger}`)."""
        return tab_notice(self.content)


def tab_notice(content):
    """The callouts of a tab's markup, as written, one after the other."""
    lines = COMMENT.sub("", content).split("\n")
    callouts, start = [], None
    for index, line in enumerate(lines):
        if line.startswith(">"):
            start = index if start is None else start
            continue
        if start is not None and CALLOUT_CLASS.match(line.strip()):
            callouts.append("\n".join(lines[start : index + 1]))
        start = None
    return "\n\n".join(callouts)


@dataclass
class WikiPage:
    title: str
    description: str = ""
    published: bool = True
    date: datetime | None = None
    date_created: datetime | None = None
    editor: str = "markdown"
    tags: list[str] = field(default_factory=list)
    tabs: list[WikiTab] = field(default_factory=list)
    callouts: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    body_line: int = 0  # where `body` starts, 1-based within the file
    lines: dict[str, int] = field(default_factory=dict)  # each front matter key's line
    notes: list[str] = field(default_factory=list)
    # What the site cannot show of the page, as (kind, line, what): reported, never dropped in silence.
    losses: list[tuple[str, int, str]] = field(default_factory=list)
    # The page's own lines around the parts above, so that an export can
    # write back what did not change exactly as the wiki had it.
    layout: dict = field(default_factory=dict)

    @property
    def number(self):
        match = TITLE_NUMBER.match(self.title)
        return Decimal(match.group(1)) if match else None


def parse_page(text):
    """Parse the text of one page. Raises `WikiPageError` for what cannot be imported."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = _split_front_matter(text)
    page = _page_from_front_matter(meta)
    lines = body.split("\n")
    commented = _commented_lines(body)
    page.notes.extend(_commented_player_notes(body, body_line))
    page.losses.extend(_losses(body, body_line))
    before, tabset, rest = _split_tabset(page, lines, commented, body_line)
    rest_line = body_line + len(before) + len(tabset)
    if COMMENT.sub("", "\n".join(before)).strip():
        # Text above the tabset is part of the transcript, not of the layout.
        before, rest, rest_line = [], before + rest, body_line
    between, transcript = _split_leading_callouts(page, rest)
    page.body = "\n".join(transcript)
    page.body_line = rest_line + len(between)
    page.layout = {
        "front": meta["_front_lines"],
        "before": before,
        "tabset": tabset,
        "between": between,
        "tabs": [[tab.label, tab.url] for tab in page.tabs],
        "callouts": [list(callout) for callout in page.callouts],
    }
    return page


def page_body(page):
    """The page's whole body, as written: what a site page shows."""
    layout = page.layout
    return "\n".join(
        layout["before"] + layout["tabset"] + layout["between"] + ([page.body] if page.body else [])
    )


def _split_front_matter(text):
    if not text.strip():
        raise WikiPageError(1, "the file is empty")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise WikiPageError(1, "no front matter: the page must start with a line '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise WikiPageError(1, "front matter is never closed by a line '---'")
    return load_front_matter(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2


def load_front_matter(front_lines):
    """The front matter's values, with each key's raw text and line number beside them.

    Wiki.js writes one `key: value` line a key, the value as typed: a title
    such as `睡前消息: 回顾` or `yes` is text, not YAML syntax. Only values
    that open with a quote, a bracket or a YAML tag (`!`) are read as YAML,
    and then as plain data only: a tag that would build an object is refused.
    """
    meta = {"_front_lines": front_lines, "_raw": {}, "_lines": {}}
    for number, line in enumerate(front_lines, start=2):
        if not line.strip():
            continue
        match = FRONT_MATTER_LINE.match(line)
        if not match:
            raise WikiPageError(number, f"front matter line is not 'key: value': {line.strip()[:60]}")
        key, raw = match.group(1), match.group(2).strip()
        if key in meta["_raw"]:
            continue
        meta["_raw"][key] = raw
        meta["_lines"][key] = number
        meta[key] = _front_matter_value(key, raw, number)
    return meta


def _front_matter_value(key, raw, number):
    if raw[:1] not in {'"', "'", "[", "{", "!"}:
        return raw
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as error:
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise WikiPageError(number, f"'{key}' cannot be read as YAML: {reason}") from None


def read_front_matter(front_lines):
    """A page holding only what the front matter lines say, and their raw values."""
    meta = load_front_matter(front_lines)
    return _page_from_front_matter(meta), meta["_raw"]


def _text(meta, key):
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise WikiPageError(meta["_lines"].get(key, 2), f"'{key}' must be text")
    return str(value).strip()


def _datetime(meta, key):
    value = meta.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        with suppress(ValueError):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
    # The line as written: a YAML list, written out, can grow without bound through its aliases.
    raise WikiPageError(meta["_lines"][key], f"'{key}' is not a date: {meta['_raw'][key]!r}")


# The lengths the database keeps: taggit's tag names, the episode's title.
MAX_TAG_LENGTH = 100
MAX_TITLE_LENGTH = 200


def _tags(meta):
    value = meta.get("tags")
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        names = [str(item) for item in value]
    elif isinstance(value, str | None):
        # "a, b", "a，b" and "#a#b" are all found in the archive.
        names = re.split(r"[,，#]", value or "")
    else:
        raise WikiPageError(
            meta["_lines"]["tags"], "'tags' must be names separated by commas, or a list of names"
        )
    names = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    for name in names:
        if len(name) > MAX_TAG_LENGTH:
            raise WikiPageError(
                meta["_lines"].get("tags", 1),
                f"tag '{name[:20]}…' is longer than {MAX_TAG_LENGTH} characters",
            )
    return names


PUBLISHED_VALUES = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": True}


def _published(meta):
    value = meta.get("published", True)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in PUBLISHED_VALUES:
        return PUBLISHED_VALUES[value.strip().lower()]
    # Refused rather than guessed: a typo must not publish a draft.
    raise WikiPageError(
        meta["_lines"]["published"], f"'published' must be true or false, not {meta['_raw']['published']!r}"
    )


def _page_from_front_matter(meta):
    title = _text(meta, "title")
    if not title:
        raise WikiPageError(meta["_lines"].get("title", 1), "the page has no title")
    if len(title) > MAX_TITLE_LENGTH:
        raise WikiPageError(
            meta["_lines"].get("title", 1), f"the title is longer than {MAX_TITLE_LENGTH} characters"
        )
    return WikiPage(
        title=title,
        description=_text(meta, "description"),
        published=_published(meta),
        date=_datetime(meta, "date"),
        date_created=_datetime(meta, "dateCreated"),
        editor=_text(meta, "editor") or "markdown",
        tags=_tags(meta),
        lines=meta["_lines"],
    )


def _commented_lines(body):
    """Indexes of body lines that lie wholly or partly inside an HTML comment."""
    commented = set()
    for match in COMMENT.finditer(body):
        first = body.count("\n", 0, match.start())
        last = body.count("\n", 0, match.end())
        commented.update(range(first, last + 1))
    return commented


# Raw HTML the sanitiser removes with everything in it, or that has no meaning outside the wiki.
UNSHOWN_ELEMENT = re.compile(
    r"<(script|style|object|embed|form|input|button|select|textarea)\b", re.IGNORECASE
)
FRAME = re.compile(r"""<iframe\b[^>]*?\ssrc\s*=\s*(["']?)([^"'\s>]*)\1""", re.IGNORECASE)
TAB_WRAPPING = re.compile(r"</?(?:div|iframe|audio|source|br|p|center)\b[^>]*>|\{[^{}]*\}", re.IGNORECASE)


def _losses(body, body_line):
    """What of the page's body the site cannot show: raw HTML it removes, frames that are no player."""
    visible = COMMENT.sub(lambda comment: "\n" * comment.group(0).count("\n"), body)
    losses = []
    for match in UNSHOWN_ELEMENT.finditer(visible):
        line = body_line + visible.count("\n", 0, match.start())
        losses.append(("raw html", line, f"<{match.group(1).lower()}> is not shown"))
    for frame in FRAME.finditer(visible):
        if frame.group(2) and player_source(frame.group(2)) is None:
            line = body_line + visible.count("\n", 0, frame.start())
            losses.append(("frame", line, f"a frame of {frame.group(2)[:80]} is not shown: not a player"))
    return losses


def _commented_player_notes(body, body_line):
    notes = []
    for comment in COMMENT.finditer(body):
        for iframe in PLAYER_SRC.finditer(comment.group(0)):
            line = body_line + body.count("\n", 0, comment.start() + iframe.start())
            notes.append(f"{line}: commented-out player ignored")
    return notes


def _heading(line):
    match = HEADING.match(line)
    return (len(match.group(1)), (match.group(2) or "").strip()) if match else None


def _is_bare_heading(line):
    heading = _heading(line)
    return heading is not None and not heading[1]


def _split_tabset(page, lines, commented, body_line):
    """Read the first tabset's tabs into `page.tabs`.

    Returns the lines before the tabset, the tabset's own lines (with the bare
    heading that closes it), and the lines after it.
    """
    start = next(
        (
            index
            for index, line in enumerate(lines)
            if index not in commented and (h := _heading(line)) and TABSET.match(h[1])
        ),
        None,
    )
    if start is None:
        return [], [], lines
    level = _heading(lines[start])[0]
    end = len(lines)
    tab_starts = []
    for index in range(start + 1, len(lines)):
        if index in commented or not (heading := _heading(lines[index])):
            continue
        if heading[0] <= level:
            end = index
            break
        if heading[0] == level + 1:
            tab_starts.append(index)
    for position, tab_start in enumerate(tab_starts):
        tab_end = tab_starts[position + 1] if position + 1 < len(tab_starts) else end
        content = "\n".join(lines[tab_start + 1 : tab_end]).strip("\n")
        page.tabs.append(
            _tab(_heading(lines[tab_start])[1], content, body_line + tab_start, page.notes, page.losses)
        )
    if end == len(lines) and page.tabs:
        page.notes.append(
            f"{body_line + start}: tabset is never closed: "
            f"the rest of the page stays in tab '{page.tabs[-1].label}'"
        )
    # A bare `#` only closes the tabset; a heading with text belongs to the transcript.
    if end < len(lines) and _heading(lines[end])[0] == level and _is_bare_heading(lines[end]):
        end += 1
    return lines[:start], lines[start:end], lines[end:]


def _tab(label, content, line, notes, losses):
    visible = COMMENT.sub("", content)
    sources = list(dict.fromkeys(player.group(2) for player in PLAYER_SRC.finditer(visible)))
    url = ""
    if sources and not sources[0]:
        notes.append(f"{line}: tab '{label}' has a player with an empty src")
    elif sources:
        try:
            url = normalise_player_link(sources[0])
        except ValidationError as error:
            notes.append(f"{line}: tab '{label}' has no playable video ({error.messages[0]})")
    elif visible.strip():
        notes.append(f"{line}: tab '{label}' holds no player")
    else:
        notes.append(f"{line}: tab '{label}' is empty")
    if len(sources) > 1:
        notes.append(f"{line}: tab '{label}' holds {len(sources)} players; only the first is kept")
    tab = WikiTab(label=label, url=url, content=content, line=line)
    leftover = TAB_WRAPPING.sub("", visible.replace(tab_notice(content), "")).strip()
    if leftover:
        losses.append(
            (
                "tab text",
                line,
                f"tab '{label}' holds text beside its player that is not shown: {leftover.splitlines()[0].strip()[:60]}",
            )
        )
    return tab


def _split_leading_callouts(page, lines):
    """Read the callouts at the top of the page into `page.callouts`.

    Returns the lines they take (with the blank lines, comments and bare
    headings around them, which show nothing) and the lines after them.
    """
    commented = _commented_lines("\n".join(lines))
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or index in commented or _is_bare_heading(line):
            index += 1
            continue
        quote_end = index
        while quote_end < len(lines) and lines[quote_end].startswith(">"):
            quote_end += 1
        kind = CALLOUT_CLASS.match(lines[quote_end].strip()) if index < quote_end < len(lines) else None
        if not kind:
            break
        text = "\n".join(re.sub(r"^> ?", "", quoted) for quoted in lines[index:quote_end]).strip()
        page.callouts.append((kind.group(1), text))
        index = quote_end + 1
    return lines[:index], lines[index:]
