"""What a browser could execute in a page: the check every hostile-input test makes."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

NEVER_ALLOWED = {
    "style", "base", "object", "embed", "applet", "frame", "frameset", "portal", "svg", "math",
    "template", "noscript", "xml",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "poster", "background", "data", "cite", "xlink:href", "formaction"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def url_scheme(value):
    """The scheme a browser would see in `value`, parsing it as the URL standard says.

    Browsers strip leading and trailing controls and spaces and drop every
    tab and newline inside; a value without a valid scheme is a relative URL.
    """
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()
    scheme = SCHEME.match(cleaned)
    return scheme.group(1) if scheme else ""


class ExecutableVectorFinder(HTMLParser):
    """Collects every element or attribute that could run script or load foreign active content.

    With `ours_allowed`, the site's own scripts (files from /static/ and
    JSON-LD data), its own forms and the players' frames are allowed: what
    a full page legitimately contains.
    """

    def __init__(self, ours_allowed):
        super().__init__(convert_charrefs=True)
        self.ours_allowed = ours_allowed
        self.found = []
        self.in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name in {"srcdoc", "formaction", "style", "xlink:href", "http-equiv"}:
                self.found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value and url_scheme(value) not in SAFE_SCHEMES | {""}:
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in NEVER_ALLOWED:
            self.found.append(f"<{tag}>")
        elif tag == "script":
            self.check_script(attributes)
        elif tag == "iframe":
            host = urlsplit(attributes.get("src") or "").hostname
            if not self.ours_allowed or host not in settings.PLAYER_HOSTS:
                self.found.append(f"<iframe src={attributes.get('src')!r}>")
        elif tag == "form":
            if not self.ours_allowed or not (attributes.get("action") or "/").startswith("/"):
                self.found.append(f"<form action={attributes.get('action')!r}>")
        elif tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            if not (attributes.get("href") or "").startswith("/static/"):
                self.found.append(f"<link stylesheet {attributes.get('href')!r}>")
        elif tag == "meta" and not self.ours_allowed:
            self.found.append("<meta>")

    def check_script(self, attributes):
        if self.ours_allowed and attributes.get("type") == "application/ld+json":
            self.in_json_ld = True
        elif not (self.ours_allowed and (attributes.get("src") or "").startswith("/static/")):
            self.found.append(f"<script {attributes}>")

    def handle_data(self, data):
        if self.in_json_ld:
            json.loads(data)  # a breakout would leave broken JSON and markup behind it

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_json_ld = False


def executable_vectors(html, *, ours_allowed=False):
    finder = ExecutableVectorFinder(ours_allowed)
    finder.feed(html)
    finder.close()
    return finder.found
