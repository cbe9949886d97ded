"""The one place where markdown becomes HTML.

Transcripts, callouts, column texts and site pages are all written in the
Wiki.js dialect of markdown. They are rendered here once, when they are
saved, and the stored HTML is what templates print. Everything that leaves
this module has been through the sanitiser below, so raw HTML written by
volunteers can never carry script into a page.
"""

import re

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

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
    "a": {"href", "id"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "style", "align", "scope"},
    "ol": {"start", "type"},
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
        "a": {"footnote-ref", "footnote-backref", *TEXT_CLASSES},
    }
)

# Only colour names and hex codes: a speaker highlight needs nothing more.
FONT_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")


def _filter_attribute(tag, attribute, value):
    if tag == "font" and attribute == "color":
        return value if FONT_COLOR.match(value.strip()) else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    allowed_classes=ALLOWED_CLASSES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto"},
    filter_style_properties={"text-align"},
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


class WikiJsExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(BlockAttributeSeparator(md), "wikijs_block_attributes", 25)
        md.treeprocessors.register(BlockAttributeMover(md), "wikijs_block_attribute_mover", 5)
        md.treeprocessors.register(EmptyHeadingRemover(md), "wikijs_empty_headings", 4)


def _markdown():
    return markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "attr_list",
            "md_in_html",
            "fenced_code",
            "sane_lists",
            "nl2br",
            WikiJsExtension(),
            "toc",
        ],
        extension_configs={
            "toc": {"slugify": slugify_unicode},
            "footnotes": {"BACKLINK_TITLE": "返回正文"},
        },
        output_format="html",
    )


def sanitise_html(html):
    return _cleaner.clean(html)


def render_markdown(source):
    """Render Wiki.js-flavoured markdown to safe HTML."""
    if not source or not source.strip():
        return ""
    return sanitise_html(_markdown().convert(source)).strip()
