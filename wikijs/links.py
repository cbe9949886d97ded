"""Links between the wiki's pages: which of them, after an import, lead to no page.

A transcript links to other episodes by their wiki paths (`/main/201-300/201`,
`./50.md`, `/zh/main/…`); the site answers those at the old address. A link
whose path names no page, column or episode is reported with its file and
line, so that volunteers can mend it.
"""

import re

from column.models import Column, Page
from episodes.models import Episode
from markup.dialect import COMMENT, SCHEME, resolve_wiki_path
from wikijs.middleware import wiki_paths

LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|\shref\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def known_paths():
    """Every path a link may name: pages' and episodes' wiki paths, columns, episodes' new addresses."""
    paths = set(Page.objects.values_list("path", flat=True))
    paths |= set(Column.objects.values_list("slug", flat=True))
    for legacy_path, column, slug in Episode.objects.values_list("legacy_path", "column__slug", "slug"):
        paths |= {legacy_path, f"{column}/{slug}"}
    paths.discard("")
    return paths


def dangling_links(text, wiki_path, known):
    """(line, target) of each link of `text`, a page at `wiki_path`, that leads to no page in `known`."""
    visible = COMMENT.sub(lambda comment: "\n" * comment.group(0).count("\n"), text)
    found = []
    for match in LINK_TARGET.finditer(visible):
        target = match.group(1) or match.group(2)
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path or SCHEME.match(path) or path.startswith("//"):
            continue
        resolved = resolve_wiki_path(path, wiki_path).strip("/")
        if resolved and not any(candidate in known for candidate in wiki_paths(resolved)):
            found.append((visible.count("\n", 0, match.start()) + 1, target))
    return found
