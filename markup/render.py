"""The one place where markdown becomes HTML: `render_document` and `render_markdown`.

Transcripts, callouts, column texts and site pages are all written in the
Wiki.js dialect of markdown. They are rendered here once, when they are
saved, and the stored HTML is what templates print. Everything that leaves
this module has been through the sanitiser (`markup.sanitise`), so raw HTML written by
volunteers can never carry script into a page.

Python-Markdown takes quadratic time on some inputs (thousands of `[`, or
of unclosed `<a `: a few hundred kilobytes would hold a worker for
minutes), and no pure-Python deadline can interrupt a regular expression.
So rendering runs in a helper process of its own, with a deadline: what
cannot be rendered in time, or is longer than any real text, is refused
with `RenderRefused` instead of being left to hold the server.
"""

import functools
import multiprocessing
import os
import threading
from html import unescape

import markdown
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from markdown.extensions.toc import slugify_unicode

from markup.commonmark import CommonMarkExtension
from markup.dialect import WikiJsExtension
from markup.sanitise import sanitise_html
from markup.transcripts import BLANK_LINES_KEPT, TranscriptExtension


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
            CommonMarkExtension(),
            WikiJsExtension(wiki_path=wiki_path),
            *([TranscriptExtension()] if transcript else []),
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
