"""What a wiki index page says besides its lists of links.

The wiki's index pages (a column's `main.md`, a range's `main/501-600.md`)
list episodes in link lists (`{.links-list}`) under range headings; the
site builds those lists itself. Around them volunteers wrote what readers of
that range must know: notices (`596期后……暂缓更新`), notes, images, players.
`index_notes` keeps that, and leaves the lists and the headings with nothing
else under them.
"""

import re

from markup.dialect import COMMENT

LINKS_LIST_CLASS = re.compile(r"^\s*\{[^{}]*\.links-list[^{}]*\}\s*$")
LIST_LINE = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])\s")
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s|$)")
THEMATIC_BREAKS = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$", re.MULTILINE)


def index_notes(source):
    """The markdown of an index page without its link lists, and without headings left with nothing."""
    lines = _without_link_lists(COMMENT.sub("", source or "").split("\n"))
    kept = []
    for index, line in enumerate(lines):
        heading = HEADING.match(line)
        if heading and not _has_content_under(lines, index + 1, len(heading[1])):
            continue
        kept.append(line)
    notes = "\n".join(kept).strip()
    return notes if THEMATIC_BREAKS.sub("", notes).strip() else ""


def _without_link_lists(lines):
    kept, pending_list = [], []
    for line in lines:
        # Blank and indented lines go with the list until it is known to be a links list or not.
        if LIST_LINE.match(line) or (pending_list and (line.startswith((" ", "\t")) or not line.strip())):
            pending_list.append(line)
            continue
        if pending_list and LINKS_LIST_CLASS.match(line):
            pending_list = []  # the list, and the line that made it a links list
            continue
        kept += pending_list
        pending_list = []
        kept.append(line)
    return kept + pending_list


def _has_content_under(lines, start, level):
    for line in lines[start:]:
        heading = HEADING.match(line)
        if heading and len(heading[1]) <= level:
            return False
        if line.strip() and not heading:
            return True
    return False
