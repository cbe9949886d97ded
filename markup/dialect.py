"""The Wiki.js dialect of markdown, as Python-Markdown extensions.

Block attribute lines (`{.is-warning}` under a quotation makes a callout),
bare web addresses linked as the wiki linked them, relative links resolved
against the page's folder, and the bare `#` that closes a tabset.
"""

import posixpath
import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    ImageInlineProcessor,
    InlineProcessor,
    SimpleTagInlineProcessor,
)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, INLINE_PLACEHOLDER_RE

# An HTML comment, also one never closed (which hides the rest of the page, as in a browser).
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
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


class TabsetPlayers(Treeprocessor):
    """A tabset inside a text shows its players one under the other, each under its tab's name.

    A page's first tabset holds its player tabs, which the importer takes out;
    one further down (`# Tabs {.tabset}`, its tabs the headings one level
    below, up to the next heading of its level) embeds a second part or
    another cut. Its headings name players, not sections of the text.
    """

    def run(self, root):
        for parent in list(root.iter()):
            children = list(parent)
            for start, child in enumerate(children):
                if child.tag in HEADING_TAGS and "tabset" in child.get("class", "").split():
                    self._gather(parent, children, start)
                    return self.run(root)

    @staticmethod
    def _gather(parent, children, start):
        level = int(children[start].tag[1])
        players = etree.Element("div", {"class": "player-set"})
        player = players
        for child in children[start + 1 :]:
            if child.tag in HEADING_TAGS and int(child.tag[1]) <= level:
                break
            parent.remove(child)
            if child.tag in HEADING_TAGS and int(child.tag[1]) == level + 1:
                player = etree.SubElement(players, "figure")
                caption = etree.SubElement(player, "figcaption")
                caption.text, caption[:] = child.text, list(child)
            else:
                player.append(child)
        index = list(parent).index(children[start])
        parent.remove(children[start])
        parent.insert(index, players)


# A bare web address, as Wiki.js links it: it ends at white space, quotes,
# angle brackets and Chinese punctuation; Chinese words in its path are part of it.
BARE_URL = r"(?<![A-Za-z0-9_/@.:=\-])((?:https?://|www\.)[^\s<>\"'\u3000-\u303f\uff00-\uffef]+)"
RAW_LINK_OPEN = re.compile(r"<a\b", re.IGNORECASE)
RAW_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
# Trailing `*` closes the bold around an address (`**https://…**`), as in the wiki.
URL_TRAILING_PUNCTUATION = ".,;:!?'\"*"


class BareUrlLinker(InlineProcessor):
    # Not inside a link: `[https://a.example/x](https://a.example/y)` is one link, to its target.
    ANCESTOR_EXCLUDES = ("a",)

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
        # Backslash escapes inside the address (`a\_b`) stand for their character.
        url = self.unescape(url)
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


IMAGE_SIZE = re.compile(r"\s+=(?P<width>\d*)x(?P<height>\d*)$")


class SizedImage(ImageInlineProcessor):
    """An image with the wiki's size after its address: `![](a.png =700x)`, `=700x400`, `=x300`."""

    def handleMatch(self, match, data):
        element, start, end = super().handleMatch(match, data)
        size = IMAGE_SIZE.search(element.get("src", "")) if element is not None else None
        if size:
            element.set("src", element.get("src")[: size.start()])
            for dimension in ("width", "height"):
                if size[dimension]:
                    element.set(dimension, size[dimension])
        return element, start, end


SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def resolve_wiki_path(path, wiki_path):
    """A link's path as the wiki read it on the page at `wiki_path`: `./50.md` on `business/51` is
    `/business/50`; an absolute path stays, without `.md`."""
    folder = posixpath.dirname(wiki_path.strip("/"))
    return posixpath.normpath(posixpath.join("/", folder, path)).removesuffix(".md")


class WikiLinkResolver(Treeprocessor):
    """Resolve relative links as the wiki did: against the folder of the page they are on.

    `[上一期](./50.md)` on `business/51` leads to `/business/50`, which the
    site answers at the page's old address.
    """

    def __init__(self, md, wiki_path):
        super().__init__(md)
        self.wiki_path = wiki_path

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href")
            if href and not href.startswith(("/", "#", "?")) and not SCHEME.match(href):
                path, hash_mark, fragment = href.partition("#")
                element.set("href", resolve_wiki_path(path, self.wiki_path) + hash_mark + fragment)


class WikiJsExtension(Extension):
    def __init__(self, wiki_path="", **kwargs):
        self.wiki_path = wiki_path
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Below raw inline HTML (90), so addresses inside tags and links are already set aside.
        md.inlinePatterns.register(BareUrlLinker(BARE_URL, md), "wikijs_bare_urls", 85)
        md.inlinePatterns.register(SizedImage(IMAGE_LINK_RE, md), "image_link", 150)
        md.inlinePatterns.register(
            SimpleTagInlineProcessor(r"(~~)(?!~)(.+?)(?<!~)~~", "s"), "wikijs_strike", 65
        )
        md.treeprocessors.register(WikiLinkResolver(md, self.wiki_path), "wikijs_links", 3)
        md.preprocessors.register(BlockAttributeSeparator(md), "wikijs_block_attributes", 25)
        md.treeprocessors.register(BlockAttributeMover(md), "wikijs_block_attribute_mover", 5)
        md.treeprocessors.register(EmptyHeadingRemover(md), "wikijs_empty_headings", 4)
        # After attr_list (8) has read `{.tabset}`, before the table of contents (5) lists headings.
        md.treeprocessors.register(TabsetPlayers(md), "wikijs_tabset_players", 7)
