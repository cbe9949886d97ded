"""What only transcripts have: times that seek the player, and paragraphs readers may correct.

A time at the start of a line (`[12:34]`) links to that moment of the
video. Each top-level paragraph made from a block of the source that occurs
once carries that block's key (`paragraph_key`), by which a reader's
correction names it and a proofreader's acceptance finds it again.

Readers correct a paragraph as they read it, without its markup
(`readable_text`); their corrected text is put back into the source
(`with_readable_text`) so that the markup around the words they kept stays.
"""

import hashlib
import re
import xml.etree.ElementTree as etree
from collections import Counter
from difflib import SequenceMatcher
from html import unescape
from typing import NamedTuple

from markdown.blockprocessors import ParagraphProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import AUTOLINK_RE, ENTITY_RE, HTML_RE
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

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


def paragraph_starts(source):
    """Where each keyed paragraph starts in `source`, as (offset, key) in order.

    Offsets count UTF-16 code units, as a browser's textarea does, so that
    an editor's cursor position can be matched to the paragraph it is in.
    """
    keys = {block: key for key, block in source_paragraphs(source).items()}
    starts, offset = [], 0
    for index, piece in enumerate(BLANK_LINES_KEPT.split(source.replace("\r\n", "\n"))):
        if index % 2 == 0 and piece.strip("\n") in keys:
            starts.append((offset, keys[piece.strip("\n")]))
        offset += len(piece.encode("utf-16-le")) // 2
    return starts


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


class TranscriptExtension(Extension):
    def extendMarkdown(self, md):
        # After the link resolver: its links are relative to the episode, not to the wiki folder.
        md.treeprocessors.register(TimestampLinker(md), "transcript_timestamps", 2)
        # Before whitespace is normalised: the keys name the paragraphs as they are stored.
        md.preprocessors.register(SourceParagraphReader(md), "transcript_source_paragraphs", 40)
        md.parser.blockprocessors.register(CorrectableParagraphMarker(md.parser), "paragraph", 10)


class ReadableText(NamedTuple):
    """A paragraph as readers see it: its `text`, and the span of source each of its characters stands for.

    `wrappers` are the links and emphases, each as where it starts, where its
    text starts and ends, and where it ends.
    """

    text: str
    spans: tuple
    wrappers: tuple


# Read first, as the renderer reads them first: code, and backslash escapes (of any ASCII punctuation,
# as `markup.commonmark` allows).
CODE_SPAN = re.compile(r"(?<!`)(`++)(.+?)(?<!`)\1(?!`)", re.DOTALL)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
FOOTNOTE_MARK = re.compile(r"\[\^([^\]]*)\]")
AUTOLINK = re.compile(AUTOLINK_RE)
INLINE_HTML = re.compile(HTML_RE, re.DOTALL)
LINE_BREAK_TAG = re.compile(r"<br\b", re.IGNORECASE)
ENTITY = re.compile(ENTITY_RE)
# Emphasis, strong and struck-out text: markers that open before a character and close after one, the
# same run on both sides; underscores only between words (`snake_case` is text).
EMPHASIS = re.compile(
    r"(?<!\*)(\*{1,3})(?![\s*])(.+?)(?<![\s*])\1(?!\*)"
    r"|(?<![\w_])(_{1,3})(?![\s_])(.+?)(?<![\s_])\3(?![\w_])"
    r"|(~~)(?!~)(.+?)(?<!~)~~",
    re.DOTALL,
)
# Stands for markup already read, as the renderer's placeholders do, in the text later markup is looked for in.
READ = "\x00"


def readable_text(paragraph):
    """A paragraph as its readers see it, and where in the source each character they see comes from.

    Readers correct words, not markup, so the correction form shows them
    this. It is read in the renderer's order (code and escapes, then links,
    raw HTML and entities, then emphasis), as far as transcripts use them: a
    `<br>` reads as the line break it makes, an image as nothing, and a
    footnote mark as its label, since transcripts number their footnotes
    in the order the page does. The spans let a corrected text be put back
    (`with_readable_text`).
    """
    return _Reading(paragraph).read()


class _Reading:
    """What each stretch of a paragraph's source shows its readers."""

    def __init__(self, source):
        self.source = source
        self.shown = {}  # start: (end, what readers see of the source from start to end)
        self.masked = list(source)
        self.links = []
        self.emphases = []
        self.addresses = []

    def read(self):
        self._read_each(self._code_or_escape)
        masked = "".join(self.masked)
        self.brackets, self.parentheses = _partners(masked, "[", "]"), _partners(masked, "(", ")")
        self._read_each(self._link_html_or_entity)
        masked = _hidden("".join(self.masked), self.addresses)
        link_texts = [(text_start, text_end) for _, text_start, text_end, _ in self.links]
        self._read_emphasis(_hidden(masked, link_texts), 0, len(masked))
        for start, end in link_texts:
            self._read_emphasis(masked, start, end)
        text, spans, position = [], [], 0
        while position < len(self.source):
            end, shown = self.shown.get(position, (position + 1, self.source[position]))
            text.append(shown)
            spans += [(position, end)] * len(shown)
            position = end
        return ReadableText("".join(text), tuple(spans), tuple(self.links + self.emphases))

    def _show(self, start, end, text=""):
        self.shown[start] = (end, text)
        self.masked[start:end] = READ * (end - start)

    def _read_each(self, read_at):
        masked = "".join(self.masked)
        position = 0
        while position < len(masked):
            position = (self.masked[position] != READ and read_at(masked, position)) or position + 1

    def _code_or_escape(self, masked, position):
        if code := CODE_SPAN.match(masked, position):
            start = code.start(2) + len(code[2]) - len(code[2].lstrip())
            end = start + len(code[2].strip())
            self._show(code.start(), start)
            for character in range(start, end):
                self._show(character, character + 1, self.source[character])
            self._show(end, code.end())
            return code.end()
        if escape := ESCAPE.match(masked, position):
            self._show(*escape.span(), escape[1])
            return escape.end()
        return None

    def _link_html_or_entity(self, masked, position):
        if mark := FOOTNOTE_MARK.match(masked, position):
            self._show(*mark.span(), self.source[mark.start(1) : mark.end(1)])
            return mark.end()
        opening = position + masked.startswith("![", position)
        text_end = self.brackets.get(opening)
        if text_end is not None and (end := self.parentheses.get(text_end + 1)) is not None:
            if opening > position:  # an image, which shows no text
                self._show(position, end + 1)
                return end + 1
            self._show(position, position + 1)
            self._show(text_end, end + 1)
            self.links.append((position, position + 1, text_end, end + 1))
            return position + 1
        if autolink := AUTOLINK.match(masked, position):
            self._show(position, position + 1)
            self._show(autolink.end() - 1, autolink.end())
            self.addresses.append((position + 1, autolink.end() - 1))
            return position + 1
        if tag := INLINE_HTML.match(masked, position):
            self._show(*tag.span(), "\n" if LINE_BREAK_TAG.match(tag[0]) else "")
            return tag.end()
        if (entity := ENTITY.match(masked, position)) and unescape(entity[0]) != entity[0]:
            self._show(*entity.span(), unescape(entity[0]))
            return entity.end()
        return None

    def _read_emphasis(self, masked, start, end):
        while emphasis := EMPHASIS.search(masked, start, end):
            text_start, text_end = emphasis.span(emphasis.lastindex)
            self._show(emphasis.start(), text_start)
            self._show(text_end, emphasis.end())
            self.emphases.append((emphasis.start(), text_start, text_end, emphasis.end()))
            self._read_emphasis(masked, text_start, text_end)
            start = emphasis.end()


def _hidden(text, ranges):
    for start, end in ranges:
        text = text[:start] + READ * (end - start) + text[end:]
    return text


def _partners(text, opener, closer):
    """Where each bracket that is closed closes, by where it opens, nested ones paired as the renderer pairs them."""
    partners, open_at = {}, []
    for position, character in enumerate(text):
        if character == opener:
            open_at.append(position)
        elif character == closer and open_at:
            partners[open_at.pop()] = position
    return partners


# Whatever a reader types is text: each character that could begin markup is escaped (`#` too, which
# makes a heading of a line it starts). An ampersand is written as an entity: the renderer leaves `&`
# before an entity's name as it is, escaped or not.
TYPED_MARKUP = re.compile(r"[\\*_\[\]<>`~#]")


# A reader adds a few of any character. Added in bulk, a character anchors no match in the diff: matching
# on each of thousands of them against hundreds in the paragraph would take the diff seconds.
BULK = 50


def _common_start(first, second):
    return next(
        (index for index, pair in enumerate(zip(first, second, strict=False)) if pair[0] != pair[1]),
        min(len(first), len(second)),
    )


def _differences(old, new):
    """Where `new` differs from `old`, character by character, as (old_start, old_end, new_start, new_end).

    The common start and end are set aside first: a correction changes a few
    words, and the diff then looks at those only, whatever the rest is like.
    """
    head = _common_start(old, new)
    tail = _common_start(old[head:][::-1], new[head:][::-1])
    added = Counter(new) - Counter(old)
    matcher = SequenceMatcher(
        lambda character: added[character] > BULK,
        old[head : len(old) - tail],
        new[head : len(new) - tail],
        autojunk=False,
    )
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation != "equal":
            yield old_start + head, old_end + head, new_start + head, new_end + head


def _escaped(typed):
    return TYPED_MARKUP.sub(r"\\\g<0>", typed.replace("&", "&amp;"))


def with_readable_text(paragraph, edited):
    """The paragraph's source changed so that it reads `edited`, its markup kept around the words that stay.

    A reader's text is compared with the paragraph's, character by
    character. What they deleted goes from the source, and only that: the
    markup between the deleted characters stays, except a link or an
    emphasis left around nothing (whose markers would show). What they
    typed goes before the source of the character it stands in front of
    (after the last one, at the end), so that words typed after a speaker's
    name stay out of the name's colour; and it is escaped, so that nothing
    typed becomes markup.
    """
    reading = readable_text(paragraph)
    end = reading.spans[-1][1] if reading.spans else len(paragraph)
    deleted, typed = set(), []
    for old_start, old_end, new_start, new_end in _differences(reading.text, edited):
        deleted.update(range(old_start, old_end))
        at = reading.spans[old_start][0] if old_start < len(reading.spans) else end
        typed.append((at, at, _escaped(edited[new_start:new_end])))
    cuts = {reading.spans[index] for index in deleted}
    left = [at for at, _, text in typed if text]
    left += [start for index, (start, _) in enumerate(reading.spans) if index not in deleted]
    for start, text_start, text_end, stop in reading.wrappers:
        held = range(text_start, text_end + 1)
        if any(reading.spans[index][0] in held for index in deleted) and not any(at in held for at in left):
            cuts |= {(start, text_start), (text_end, stop)}
    pieces, done = [], 0
    for start, stop, text in sorted([(*cut, "") for cut in cuts] + typed):
        pieces += [paragraph[done:start], text]
        done = max(done, stop)
    return "".join(pieces) + paragraph[done:]
