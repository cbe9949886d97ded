"""The sanitiser: what HTML may leave the markdown pipeline.

Everything rendered goes through `sanitise_html`, so raw HTML written by
volunteers can never carry script into a page: an allowlist of tags,
attributes and classes (those of the Wiki.js dialect), nothing else.
"""

import re

import nh3

from markup.transcripts import PARAGRAPH_KEY

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


def sanitise_html(html):
    return _cleaner.clean(html)
