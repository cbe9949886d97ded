"""What the wiki's CommonMark parser read in its pages and Python-Markdown would not.

Wiki.js renders with markdown-it, a CommonMark parser; volunteers wrote for
what it showed. Python-Markdown follows the older Markdown.pl rules in four
places that matter to the archive, and these preprocessors bring its input to
the shape it needs for the CommonMark reading:

- a list may begin right under a paragraph line (`六项：` then `1. 隧洞`),
  where Python-Markdown wants a blank line first;
- a nested list is indented as far as its parent item's text (two spaces
  under `- `, three under `1. `), where Python-Markdown wants four per level;
- a heading may be indented by up to three spaces;
- any ASCII punctuation may be escaped with a backslash (`\\"`).

All of it also inside quotations (`> 1. 隧洞`), and none of it inside fenced code.
"""

import re
import string

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

FENCE = re.compile(r"^\s*(```|~~~)")
QUOTE_PREFIX = re.compile(r"^(?: {0,3}>[ ]?)*")
LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-+*]|(?P<number>\d{1,9})[.)])(?P<gap> {1,4}|$)")
INDENTED_HEADING = re.compile(r"^ {1,3}(?=#{1,6}(?:\s|$))")
# Python-Markdown needs this much more indentation for each level of nesting.
LEVEL_INDENT = 4


THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
INDENTED_SETEXT_UNDERLINE = re.compile(r"^ {1,3}(?=(?:=+|-+) *$)")


class _Segment:
    """Lines that share one quotation prefix, rewritten one by one as they come."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.item_columns = []  # where the text of each open list item starts, outermost first
        self.after_paragraph = False  # the line before is a paragraph's, outside any list
        self.after_text = False  # the line before is not blank

    def rewrite(self, text):
        """The lines that stand for this one (without the prefix)."""
        text = text.expandtabs(4)
        after_text, self.after_text = self.after_text, bool(text.strip())
        if not text.strip():
            self.after_paragraph = False
            return [text]
        indent = len(text) - len(text.lstrip(" "))
        item = None if THEMATIC_BREAK.match(text) else LIST_ITEM.match(text)
        while self.item_columns and indent < self.item_columns[-1]:
            self.item_columns.pop()
        if item is not None and (self.item_columns or indent < LEVEL_INDENT):
            return self._list_item(text, item, indent)
        if self.item_columns:
            # The text of the innermost item it is indented under, as deep as Python-Markdown wants it.
            depth = LEVEL_INDENT * len(self.item_columns)
            return [" " * depth + text[self.item_columns[-1] :]]
        if after_text and not self.after_paragraph and indent < LEVEL_INDENT:
            return [text]  # a lazy continuation of a list item's text
        if self.after_paragraph and INDENTED_SETEXT_UNDERLINE.match(text):
            # Under a paragraph line, an indented row of `-` or `=` makes that line a heading.
            self.after_paragraph = False
            return [INDENTED_SETEXT_UNDERLINE.sub("", text)]
        self.after_paragraph = indent < LEVEL_INDENT
        return [INDENTED_HEADING.sub("", text)]

    def _list_item(self, text, item, indent):
        interrupts = self.after_paragraph and not self.item_columns
        # CommonMark lets a list interrupt a paragraph only from 1, and not with an empty item.
        if interrupts and ((item["number"] and int(item["number"]) != 1) or not text[item.end() :].strip()):
            return [text]
        self.after_paragraph = False
        depth = len(self.item_columns)
        self.item_columns.append(item.end() if item["gap"] else item.end() + 1)
        rewritten = " " * (LEVEL_INDENT * depth) + text[indent:]
        return ["", rewritten] if interrupts else [rewritten]


class CommonMarkBlocks(Preprocessor):
    """Lists, nested lists and headings as CommonMark reads them (see the module's docstring)."""

    def run(self, lines):
        result = []
        segment = _Segment("")
        in_fence = False
        for line in lines:
            prefix = QUOTE_PREFIX.match(line).group(0)
            if FENCE.match(line[len(prefix) :]):
                in_fence = not in_fence
            if in_fence or FENCE.match(line[len(prefix) :]):
                segment = _Segment(prefix)
                result.append(line)
                continue
            if prefix.replace(" ", "") != segment.prefix.replace(" ", ""):
                segment = _Segment(prefix)
            result += [
                prefix + text if text or prefix else text for text in segment.rewrite(line[len(prefix) :])
            ]
        return result


class CommonMarkExtension(Extension):
    def extendMarkdown(self, md):
        # Every ASCII punctuation character may be escaped, as in CommonMark.
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
        # Before the Wiki.js attribute lines are separated (25) and raw HTML is set aside (20).
        md.preprocessors.register(CommonMarkBlocks(md), "commonmark_blocks", 27)
