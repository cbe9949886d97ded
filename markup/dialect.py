"""The Wiki.js dialect of markdown, as Python-Markdown extensions.

Block attribute lines (`{.is-warning}` under a quotation makes a callout),
bare web addresses linked as the wiki linked them, relative links resolved
against the page's folder, and the bare `#` that closes a tabset.
"""

import posixpath
import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, INLINE_PLACEHOLDER_RE

STANDALONE_ATTRIBUTE_LINE = re.compile(r"^\s*\{:?\s*[^{}]+\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CLASS_TOKEN = re.compile(r"(?<![\w-])\.([A-Za-z][\w-]*)")


class BlockAttributeSeparator(Preprocessor):
    """Give a Wiki.js block attribute line (`{.is-warning}`) a paragraph of its own.

    Wiki.js applies a line such as `{.is-warning}` or `{.links-list}` to the
    block just above it: the blockquote becomes a callout, the list a links
    list. Python-Markdown would instead read the line as a lazy continuation
    of that block's last paragraph. Separated, it becomes a paragraph of its
    own that `BlockAttributeMover` turns into classes of the block above.
    """

    def run(self, lines):
        result = []
        in_fence = False
        for line in lines:
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and STANDALONE_ATTRIBUTE_LINE.match(line) and result and result[-1].strip():
                result.append("")
            result.append(line)
        return result


class BlockAttributeMover(Treeprocessor):
    """Move the classes of a standalone `{.x .y}` paragraph to the block above it.

    Only classes are carried over; anything else an attribute line says is
    dropped here, and the sanitiser limits the classes to known ones.
    """

    def run(self, root):
        for parent in list(root.iter()):
            previous = None
            for child in list(parent):
                classes = self._standalone_classes(child)
                if classes is not None and previous is not None:
                    existing = previous.get("class", "").split()
                    previous.set("class", " ".join(existing + classes))
                    parent.remove(child)
                    continue
                previous = child

    @staticmethod
    def _standalone_classes(element):
        if element.tag != "p" or len(element) or (element.tail and element.tail.strip()):
            return None
        match = STANDALONE_ATTRIBUTE_LINE.match(element.text or "")
        if not match:
            return None
        return CLASS_TOKEN.findall(element.text)


class EmptyHeadingRemover(Treeprocessor):
    """Wiki.js pages close a tabset with a bare `#`; it is a separator, not a heading."""

    def run(self, root):
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag in HEADING_TAGS and not (child.text or "").strip() and not len(child):
                    parent.remove(child)


# A bare web address, as Wiki.js links it: it ends at white space, quotes,
# angle brackets and Chinese text or punctuation.
BARE_URL = r"(?<![A-Za-z0-9_/@.:=\-])((?:https?://|www\.)[^\s<>\"'\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+)"
RAW_LINK_OPEN = re.compile(r"<a\b", re.IGNORECASE)
RAW_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
URL_TRAILING_PUNCTUATION = ".,;:!?'\""


class BareUrlLinker(InlineProcessor):
    def handleMatch(self, match, data):
        if self._inside_raw_link(data, match.start(1)):
            return None, None, None
        url = match.group(1)
        end = match.end(1)
        while url and (
            url[-1] in URL_TRAILING_PUNCTUATION or (url.endswith(")") and url.count("(") < url.count(")"))
        ):
            url = url[:-1]
            end -= 1
        if not url.startswith(("http://", "https://")) and "." not in url[4:]:
            return None, None, None
        element = etree.Element("a", href=url if "://" in url else f"http://{url}")
        element.text = url
        return element, match.start(1), end

    def _inside_raw_link(self, data, position):
        """Whether raw HTML earlier in this text opened an `<a>` that is still open."""
        stashed = self.md.treeprocessors["inline"].stashed_nodes
        depth = 0
        for placeholder in INLINE_PLACEHOLDER_RE.finditer(data, 0, position):
            node = stashed.get(placeholder.group(1))
            raw = HTML_PLACEHOLDER_RE.fullmatch(node) if isinstance(node, str) else None
            if raw:
                html = self.md.htmlStash.rawHtmlBlocks[int(raw.group(1))]
                depth += len(RAW_LINK_OPEN.findall(html)) - len(RAW_LINK_CLOSE.findall(html))
        return depth > 0


SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class WikiLinkResolver(Treeprocessor):
    """Resolve relative links as the wiki did: against the folder of the page they are on.

    `[上一期](./50.md)` on `business/51` leads to `/business/50`, which the
    site answers at the page's old address.
    """

    def __init__(self, md, wiki_path):
        super().__init__(md)
        self.folder = posixpath.dirname(wiki_path.strip("/"))

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href")
            if href and not href.startswith(("/", "#", "?")) and not SCHEME.match(href):
                path, hash_mark, fragment = href.partition("#")
                resolved = posixpath.normpath(posixpath.join("/", self.folder, path)).removesuffix(".md")
                element.set("href", resolved + hash_mark + fragment)


class WikiJsExtension(Extension):
    def __init__(self, wiki_path="", **kwargs):
        self.wiki_path = wiki_path
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Below raw inline HTML (90), so addresses inside tags and links are already set aside.
        md.inlinePatterns.register(BareUrlLinker(BARE_URL, md), "wikijs_bare_urls", 85)
        md.treeprocessors.register(WikiLinkResolver(md, self.wiki_path), "wikijs_links", 3)
        md.preprocessors.register(BlockAttributeSeparator(md), "wikijs_block_attributes", 25)
        md.treeprocessors.register(BlockAttributeMover(md), "wikijs_block_attribute_mover", 5)
        md.treeprocessors.register(EmptyHeadingRemover(md), "wikijs_empty_headings", 4)
