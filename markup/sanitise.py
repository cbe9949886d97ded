"""The sanitiser: what HTML may leave the markdown pipeline.

Everything rendered goes through `sanitise_html`, so raw HTML written by
volunteers can never carry script into a page: an allowlist of tags,
attributes and classes (those of the Wiki.js dialect), nothing else. The one
frame let through is a video player on a host the site lets its pages frame
(settings.PLAYER_HOSTS), as the wiki embedded players in its pages.
"""

import re
from html import unescape
from urllib.parse import urlsplit

import nh3
from django.conf import settings

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
    "a", "blockquote", "br", "hr", "img", "ol", "ul", "iframe",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "id", "data-seconds"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "title", "allowfullscreen"},
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
        "div": {"footnote", "player-set", *TEXT_CLASSES},
        "a": {"footnote-ref", "footnote-backref", "timestamp", *TEXT_CLASSES},
    }
)

# Only colour names and hex codes: a speaker highlight needs nothing more.
FONT_COLOR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")

# The wiki's speaker colours (`<font color=indigo>`) are shown as classes of a fixed palette
# (`<span class="ink-indigo">`): `<font>` is obsolete HTML, and the site's policy forbids inline
# styles. Each ink is named after a colour and reads well on a light page and a dark one
# (static/css/site.css); any colour written goes to the ink nearest it.
INKS = {
    "black": (0, 0, 0),
    "gray": (128, 128, 128),
    "red": (255, 0, 0),
    "orange": (255, 165, 0),
    "yellow": (255, 255, 0),
    "green": (0, 128, 0),
    "teal": (0, 128, 128),
    "blue": (0, 0, 255),
    "indigo": (75, 0, 130),
    "purple": (128, 0, 128),
    "pink": (255, 105, 180),
    "brown": (165, 42, 42),
}
INK_ALIASES = {
    "grey": "gray",
    "cyan": "teal",
    "aqua": "teal",
    "violet": "purple",
    "magenta": "pink",
    "navy": "blue",
}
# A font the wiki left open across paragraphs holds blocks: it becomes a block of ink, not a span.
FONT_OR_BLOCK_TAG = re.compile(
    r'<font(?: color="(?P<color>[^"]*)")?>|</font>|<(?:p|div|ul|ol|li|table|blockquote|h[1-6]|pre|figure|details|hr|dl)[\s>]'
)


def ink(color):
    """The palette's ink for a colour as the wiki wrote it: a name, a name holding one (darkblue), or a hex code."""
    color = color.strip().lower()
    if color.startswith("#"):
        digits = color[1:]
        if len(digits) in (3, 4):
            digits = "".join(digit * 2 for digit in digits[:3])
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        return min(
            INKS,
            key=lambda name: sum((a - b) ** 2 for a, b in zip(INKS[name], (red, green, blue), strict=True)),
        )
    for name in sorted([*INKS, *INK_ALIASES], key=len, reverse=True):
        if name in color:
            return INK_ALIASES.get(name, name)
    return "black"


def _fonts_as_inks(html):
    """Each `<font>` of sanitised (so well-formed) HTML as a span of its ink, or a div where it holds blocks."""
    pieces, last, open_fonts, replaced = [], 0, [], {}
    for match in FONT_OR_BLOCK_TAG.finditer(html):
        if match[0].startswith("<font"):
            open_fonts.append([match, False])
        elif match[0] == "</font>":
            opening, holds_blocks = open_fonts.pop()
            element = "div" if holds_blocks else "span"
            color = opening["color"]
            replaced[opening.start()] = (
                opening.end(),
                f'<{element} class="ink-{ink(color)}">' if color else f"<{element}>",
            )
            replaced[match.start()] = (match.end(), f"</{element}>")
        else:
            for font in open_fonts:
                font[1] = True
    for start in sorted(replaced):
        end, tag = replaced[start]
        pieces += [html[last:start], tag]
        last = end
    pieces.append(html[last:])
    return "".join(pieces)


# The wiki's embeds name YouTube's own host; pages frame its privacy-enhanced twin.
PLAYER_HOST_ALIASES = {
    "www.youtube.com": "www.youtube-nocookie.com",
    "youtube.com": "www.youtube-nocookie.com",
}


def player_source(value):
    """A frame's address if it is a player the site may frame, on https; else None."""
    address = urlsplit(value.strip())
    if address.scheme not in {"", "https", "http"} or not address.netloc:
        return None
    host = PLAYER_HOST_ALIASES.get(address.hostname or "", address.hostname)
    if host not in settings.PLAYER_HOSTS:
        return None
    return address._replace(scheme="https", netloc=host).geturl()


def _filter_attribute(tag, attribute, value):
    if tag == "iframe" and attribute == "src":
        return player_source(value)
    if tag == "font" and attribute == "color":
        return value if FONT_COLOR.match(value.strip()) else None
    if attribute == "allowfullscreen":
        return ""
    if attribute in {"href", "src"}:
        # An address written with spaces in it (the wiki let them through) means them encoded.
        return value.strip().replace(" ", "%20")
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
    set_tag_attribute_values={
        "img": {"loading": "lazy", "referrerpolicy": "no-referrer"},
        "iframe": {"loading": "lazy"},
    },
)


# A frame whose address was refused: nothing of it is shown.
FRAME_WITHOUT_SOURCE = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)


# The wiki's centred text (`<center>`, obsolete HTML) is a block of the same look.
CENTER_TAG = re.compile(r"<(/?)center>")


def sanitise_html(html):
    html = FRAME_WITHOUT_SOURCE.sub("", _cleaner.clean(html))
    html = CENTER_TAG.sub(lambda match: "</div>" if match[1] else '<div class="align-center">', html)
    return _fonts_as_inks(html)


TAG = re.compile(r"<[^>]*>")


def plain_text(html):
    """The text of sanitised HTML (ours, so a plain tag pattern is enough, and far quicker than a parser)."""
    return unescape(TAG.sub(" ", html or ""))
