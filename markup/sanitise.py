"""The sanitiser: what HTML may leave the markdown pipeline.

Everything rendered goes through `sanitise_html`, so raw HTML written by
volunteers can never carry script into a page: an allowlist of tags,
attributes and classes (those of the Wiki.js dialect), nothing else. The one
frame let through is a video player on a host the site lets its pages frame
(settings.PLAYER_HOSTS), as the wiki embedded players in its pages.
"""

import re
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


def sanitise_html(html):
    return FRAME_WITHOUT_SOURCE.sub("", _cleaner.clean(html))
