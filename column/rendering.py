"""The one place where markdown becomes HTML.

Transcripts, callouts, column texts and site pages are all written in the
Wiki.js dialect of markdown. They are rendered here once, when they are
saved, and the stored HTML is what templates print. Everything that leaves
this module has been through the sanitiser below, so raw HTML written by
volunteers can never carry script into a page.

Python-Markdown takes quadratic time on some inputs (thousands of `[`, or
of unclosed `<a `: a few hundred kilobytes would hold a worker for
minutes), and no pure-Python deadline can interrupt a regular expression.
So rendering runs in a helper process of its own, with a deadline: what
cannot be rendered in time, or is longer than any real text, is refused
with `RenderRefused` instead of being left to hold the server.
"""

import functools
import hashlib
import multiprocessing
import os
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from collections import Counter
from html import unescape

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from markdown.blockprocessors import ParagraphProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, INLINE_PLACEHOLDER_RE

CALLOUT_CLASSES = frozenset({"is-info", "is-warning", "is-success", "is-danger"})

# Wiki.js text utilities that may decorate any text element.
TEXT_CLASSES = frozenset({"underline", "mark"})

TEXT_TAGS = frozenset(
    {
        "p", "span", "div", "center", "font", "strong", "b", "em", "i", "u", "s",
        "del", "ins", "mark", "small", "sub", "sup", "kbd", "code", "pre", "abbr",
        "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
        "figcaption", "details", "summary", "caption",
    }
)  # fmt: skip

ALLOWED_TAGS = TEXT_TAGS | {
    "a", "blockquote", "br", "hr", "img", "ol", "ul",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "id", "data-seconds"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "p": {"data-paragraph"},
    "li": {"id", "value"},
    "sup": {"id"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}

ALLOWED_CLASSES = {tag: set(TEXT_CLASSES) for tag in TEXT_TAGS}
ALLOWED_CLASSES.update(
    {
        "blockquote": set(CALLOUT_CLASSES),
        "ul": {"links-list"},
        "ol": {"links-list"},
        "div": {"footnote", *TEXT_CLASSES},
        "a": {"footnote-ref", "footnote-backref", "timestamp", *TEXT_CLASSES},
    }
)

# Only colour names and hex codes: a speaker highlight needs nothing more.
FONT_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")


def _filter_attribute(tag, attribute, value):
    if tag == "font" and attribute == "color":
        return value if FONT_COLOR.match(value.strip()) else None
    if attribute == "data-paragraph":
        return value if re.fullmatch(PARAGRAPH_KEY, value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    allowed_classes=ALLOWED_CLASSES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto"},
    set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}},
)

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


# `[12:34]`, `[1:02:03]`, or `12:34` and a space, where a line begins.
LINE_START_TIME = re.compile(r"^(\s*)(?:\[((?:\d{1,2}:)?\d{1,2}:\d{2})\]|((?:\d{1,2}:)?\d{1,2}:\d{2})(?=\s))")


def seconds_of(clock):
    """Seconds from the start of `12:34` or `1:02:03`; None when the minutes or seconds pass 59."""
    *hours, minutes, seconds = (int(part) for part in clock.split(":"))
    if seconds > 59 or (hours and minutes > 59):
        return None
    return (hours[0] if hours else 0) * 3600 + minutes * 60 + seconds


class TimestampLinker(Treeprocessor):
    """Make a time at the start of a transcript line a link to that moment of the video.

    The link (`at/754/`, beside the episode's own address) takes a reader
    without script to the video's page at that time; the episode page's
    script instead seeks the player on the page.
    """

    def run(self, root):
        for element in list(root.iter()):
            if element.tag in {"pre", "code", "a"}:
                continue
            if element.tag in {"p", "li", "dd", "td", "th", "blockquote"}:
                element.text = self._link(element, element.text, 0)
            for child in list(element):
                if child.tag == "br":
                    child.tail = self._link(element, child.tail, list(element).index(child) + 1)

    @staticmethod
    def _link(parent, text, position):
        match = LINE_START_TIME.match(text or "")
        clock = match and (match.group(2) or match.group(3))
        seconds = clock and seconds_of(clock)
        if seconds is None:
            return text
        link = etree.Element(
            "a", {"class": "timestamp", "href": f"at/{seconds}/", "data-seconds": str(seconds)}
        )
        link.text = match.group(0).strip()
        link.tail = text[match.end() :]
        parent.insert(position, link)
        return match.group(1)


# A paragraph's key (`paragraph_key`), as it appears in HTML and addresses.
PARAGRAPH_KEY = "[0-9a-f]{16}"
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
BLANK_LINES_KEPT = re.compile(f"({BLANK_LINES.pattern})")


def paragraph_key(text):
    """A short, stable name for a paragraph of a transcript: a hash of its text."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def source_paragraphs(source):
    """The blocks of a text that readers may correct, by key: each one that occurs only once.

    A block is text between blank lines, as the source has it; a block that
    repeats (a "（音乐）" between sections, say) cannot be told apart from its
    twin, so it has no key.
    """
    blocks = [block.strip("\n") for block in BLANK_LINES.split(source.replace("\r\n", "\n"))]
    counts = Counter(blocks)
    return {paragraph_key(block): block for block in blocks if block.strip() and counts[block] == 1}


def replace_paragraph(source, key, text):
    """`source` with the paragraph named `key` replaced by `text`; None when no paragraph has that key."""
    block = source_paragraphs(source).get(key)
    if block is None:
        return None
    pieces = BLANK_LINES_KEPT.split(source.replace("\r\n", "\n"))
    # Blocks stand at even places, the blank lines between them at odd ones.
    index = next(index for index in range(0, len(pieces), 2) if pieces[index].strip("\n") == block)
    pieces[index] = pieces[index].replace(block, text, 1)
    return "".join(pieces)


class SourceParagraphReader(Preprocessor):
    """Note the source's paragraphs before any other preprocessor changes the lines."""

    def run(self, lines):
        paragraphs = source_paragraphs("\n".join(lines))
        # As the block parser will see them: with tabs expanded, as Python-Markdown does first.
        self.md.correctable_blocks = {
            text.expandtabs(self.md.tab_length): key for key, text in paragraphs.items()
        }
        return lines


class CorrectableParagraphMarker(ParagraphProcessor):
    """Give each top-level paragraph made from a whole block of the source that block's key.

    A paragraph whose block the preprocessors changed (raw HTML blocks,
    footnotes, attribute lines) matches no source block; one inside a list or
    quotation could match a like block elsewhere, so it is never marked.
    """

    def run(self, parent, blocks):
        block = blocks[0].strip("\n")
        children = len(parent)
        super().run(parent, blocks)
        key = self.parser.md.correctable_blocks.get(block)
        if key and parent is self.parser.root and len(parent) > children and parent[-1].tag == "p":
            parent[-1].set("data-paragraph", key)


class WikiJsExtension(Extension):
    def __init__(self, wiki_path="", transcript=False, **kwargs):
        self.wiki_path = wiki_path
        self.transcript = transcript
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Below raw inline HTML (90), so addresses inside tags and links are already set aside.
        md.inlinePatterns.register(BareUrlLinker(BARE_URL, md), "wikijs_bare_urls", 85)
        md.treeprocessors.register(WikiLinkResolver(md, self.wiki_path), "wikijs_links", 3)
        md.preprocessors.register(BlockAttributeSeparator(md), "wikijs_block_attributes", 25)
        md.treeprocessors.register(BlockAttributeMover(md), "wikijs_block_attribute_mover", 5)
        md.treeprocessors.register(EmptyHeadingRemover(md), "wikijs_empty_headings", 4)
        if self.transcript:
            # After the link resolver: its links are relative to the episode, not to the wiki folder.
            md.treeprocessors.register(TimestampLinker(md), "transcript_timestamps", 2)
            # Before whitespace is normalised: the keys name the paragraphs as they are stored.
            md.preprocessors.register(SourceParagraphReader(md), "transcript_source_paragraphs", 40)
            md.parser.blockprocessors.register(CorrectableParagraphMarker(md.parser), "paragraph", 10)


def _markdown(wiki_path, transcript):
    return markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "attr_list",
            "md_in_html",
            "fenced_code",
            "sane_lists",
            "nl2br",
            WikiJsExtension(wiki_path=wiki_path, transcript=transcript),
            "toc",
        ],
        extension_configs={
            "toc": {"slugify": slugify_unicode},
            # Alignment as an attribute: the Content-Security-Policy refuses inline styles.
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "返回正文"},
        },
        output_format="html",
    )


def sanitise_html(html):
    return _cleaner.clean(html)


# Far above the longest transcript of the archive (about 60,000 characters).
MAX_SOURCE_CHARACTERS = 500_000
# Python-Markdown rescans the rest of a paragraph from every `[` or `<` that never closes, so
# its time grows with the square of their number; real paragraphs have a handful at most.
MAX_UNCLOSED_OPENERS = 500
OPENERS = {"[": "]", "<": ">"}


class RenderRefused(ValueError):
    """A text too long, or too convoluted, to render in bounded time."""


def render_document(source, wiki_path="", *, transcript=False):
    """Render Wiki.js-flavoured markdown to safe HTML and list its headings.

    `wiki_path` is the page's address in the wiki (`business/51`), against
    which relative links resolve. With `transcript`, a time that begins a
    line links to that moment of the video, and each paragraph a reader may
    correct carries its key (`source_paragraphs`). Returns `(html, headings)`, the headings as
    `{"id", "name", "level"}` for a table of contents. Raises `RenderRefused`
    for a text longer than `MAX_SOURCE_CHARACTERS`, with a paragraph of more
    than `MAX_UNCLOSED_OPENERS` brackets that never close, or that takes
    longer than `settings.MARKDOWN_RENDER_SECONDS` to render.
    """
    if not source or not source.strip():
        return "", []
    if len(source) > MAX_SOURCE_CHARACTERS:
        raise RenderRefused(
            f"the text has {len(source):,} characters; at most {MAX_SOURCE_CHARACTERS:,} can be rendered"
        )
    _refuse_unclosed_openers(source)
    html, headings = _render_with_deadline(source, wiki_path, transcript)
    return html, list(headings)


def _refuse_unclosed_openers(source):
    """Refuse, before any work, a paragraph that would take the renderer quadratic time."""
    line = 1
    for block in BLANK_LINES_KEPT.split(source):
        for opener, closer in OPENERS.items():
            unclosed = block.count(opener) - block.count(closer)
            if unclosed > MAX_UNCLOSED_OPENERS:
                starts_at = line + len(block) - len(block.lstrip("\n"))
                raise RenderRefused(
                    f"the paragraph at line {starts_at:,} has {unclosed:,} “{opener}” that never close; "
                    f"at most {MAX_UNCLOSED_OPENERS:,} can be rendered"
                )
        line += block.count("\n")


def validate_renderable(source):
    """A model field's validator: the text must render, in bounded time."""
    _validate_renderable(source, transcript=False)


def validate_renderable_transcript(source):
    """`validate_renderable` for transcripts, rendered with what only transcripts have (timestamps, paragraph keys)."""
    _validate_renderable(source, transcript=True)


def _validate_renderable(source, transcript):
    try:
        render_document(source, transcript=transcript)
    except RenderRefused as refusal:
        raise ValidationError(
            _("这段文字无法排版（%(reason)s）。请删去过长或不成对的符号后再保存。"),
            code="unrenderable",
            params={"reason": refusal},
        ) from None


@functools.lru_cache(maxsize=16)
def _render_with_deadline(source, wiki_path, transcript):
    # Cached because a form validates a text and the model then saves it: one render for both.
    return _render_process.render(source, wiki_path, transcript)


def _render(source, wiki_path, transcript):
    md = _markdown(wiki_path, transcript)
    html = sanitise_html(md.convert(source)).strip()
    return html, tuple(_flatten_headings(md.toc_tokens))


def _serve_renders(connection):
    """The helper process: render each text it is sent, and send back the result or the error."""
    while True:
        try:
            arguments = connection.recv()
        except EOFError:
            return
        try:
            connection.send((True, _render(*arguments)))
        except Exception as error:  # sent back to be raised where the render was asked for
            connection.send((False, error))


class _RenderProcess:
    """One helper process per server process, killed and replaced when it overruns its deadline."""

    def __init__(self):
        self._lock = threading.Lock()
        self._owner = None
        self._process = None
        self._connection = None

    def render(self, source, wiki_path, transcript):
        with self._lock:
            connection = self._ready_connection()
            connection.send((source, wiki_path, transcript))
            seconds = settings.MARKDOWN_RENDER_SECONDS
            if not connection.poll(seconds):
                self._stop()
                raise RenderRefused(
                    f"the text could not be rendered within {seconds} s; "
                    "look for long runs of [ or < or other unbalanced markup"
                )
            try:
                succeeded, result = connection.recv()
            except EOFError:  # the helper died on this text
                self._stop()
                raise RenderRefused("the text stopped the renderer") from None
        if not succeeded:
            raise result
        return result

    def _ready_connection(self):
        # A server worker forked from a process that had a helper starts its own.
        if self._owner != os.getpid() or not self._process.is_alive():
            # Spawned, not forked: the helper shares no database connection or lock with us.
            context = multiprocessing.get_context("spawn")
            self._connection, theirs = context.Pipe()
            self._process = context.Process(target=_serve_renders, args=(theirs,), daemon=True)
            self._process.start()
            self._owner = os.getpid()
            theirs.close()
            self._connection.send(("warm up", "", False))  # its start-up is not the text's fault
            self._connection.recv()
        return self._connection

    def _stop(self):
        if self._owner == os.getpid() and self._process.is_alive():
            self._process.kill()
            self._process.join()
            self._connection.close()
        self._owner = None


_render_process = _RenderProcess()


def _flatten_headings(tokens):
    for token in tokens:
        yield {"id": token["id"], "name": unescape(token["name"]), "level": token["level"]}
        yield from _flatten_headings(token["children"])


def render_markdown(source, wiki_path="", *, transcript=False):
    """Render Wiki.js-flavoured markdown to safe HTML."""
    return render_document(source, wiki_path, transcript=transcript)[0]
