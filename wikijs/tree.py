"""The archive's tree: which file is a column's page, an episode, an index or a site page."""

import re
from dataclasses import dataclass
from pathlib import Path

from wikijs.parser import COMMENT

RANGE_FOLDER = re.compile(r"^(?P<first>-?\d+)-(?P<last>-?\d+)$")
SITE_PAGE_FOLDERS = frozenset({"template"})


@dataclass(frozen=True)
class SourceFile:
    """A page of the tree: its path relative to the root, without `.md`, and its role."""

    path: Path
    legacy_path: str
    kind: str  # "column", "episode", "navigation" or "site"
    column_slug: str = ""


def classify(root, column_slugs=frozenset()):
    """Every page of the tree under `root`, with the role the tree gives it.

    `column_slugs` are columns known already: their pages are column pages
    even when a partial tree lacks the column's folder.
    """
    root = Path(root)
    files = [page_of(root, path, column_slugs) for path in sorted(root.rglob("*.md"))]
    # Columns first, so that their pages give them their names.
    return sorted(files, key=lambda source: (source.kind != "column", source.legacy_path))


def page_of(root, path, column_slugs=frozenset()):
    """The page at `path` (which need not exist any more), with the role the tree gives it."""
    parts = path.relative_to(root).with_suffix("").parts
    legacy_path = "/".join(parts)
    if len(parts) == 1:
        kind = "column" if (root / parts[0]).is_dir() or parts[0] in column_slugs else "site"
        return SourceFile(path, legacy_path, kind, parts[0] if kind == "column" else "")
    if parts[0] in SITE_PAGE_FOLDERS:
        return SourceFile(path, legacy_path, "site")
    kind = "navigation" if path.with_suffix("").is_dir() or is_range(path.stem) else "episode"
    return SourceFile(path, legacy_path, kind, parts[0])


HOME_PAGE_LINK = re.compile(r"\]\((?:\./|/)?([^()\s/#?]+?)(?:\.md)?\)")


def navigation_order(root):
    """The columns in the order the wiki's home page links them (`[**睡前消息**](main.md)`)."""
    home = Path(root) / "home.md"
    if not home.is_file():
        return []
    text = COMMENT.sub("", home.read_text(encoding="utf-8", errors="replace"))
    return list(dict.fromkeys(link for link in HOME_PAGE_LINK.findall(text) if (Path(root) / link).is_dir()))


def is_range(name):
    """Whether a file name is an index's range (`501-600`), not a special's (`13-2`, `914-1`)."""
    match = RANGE_FOLDER.match(name)
    return match is not None and int(match["first"]) < int(match["last"])
