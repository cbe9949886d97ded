"""What only transcripts have: times that seek the player, and paragraphs readers may correct.

A time at the start of a line (`[12:34]`) links to that moment of the
video. Each top-level paragraph made from a block of the source that occurs
once carries that block's key (`paragraph_key`), by which a reader's
correction names it and a proofreader's acceptance finds it again.
"""

import hashlib
import re
import xml.etree.ElementTree as etree
from collections import Counter

from markdown.blockprocessors import ParagraphProcessor
from markdown.extensions import Extension
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
