"""Full-text search over episodes, in Chinese, on SQLite and PostgreSQL alike.

Chinese has no spaces between words, so every text is cut into words by
jieba (through rjieba, its Rust port) before either database sees it: the
index holds the words and, for longer ones, the words inside them (芯片厂 →
芯片, 芯片厂), so a word found inside a longer one still matches. The
database's own engine does the rest: an FTS5 table on SQLite, a weighted
`tsvector` with a GIN index on PostgreSQL. Both live in the table
`episodes_search`, one row per episode, keyed by the episode's id.

Ranking weighs the title above tags and description above the transcript,
and more occurrences above fewer. `Episode.objects.search(q)` is the one
way to search; `index_episode` keeps the index current.
"""

import re
import threading
from contextlib import contextmanager
from html import unescape

import rjieba
from django.db import connection
from django.utils.html import escape

WORD = re.compile(r"\w")

# FTS5 bm25 weights, in the table's column order: title, description, tags, body.
SQLITE_WEIGHTS = "10.0, 4.0, 6.0, 1.0"
# ts_rank weights for D, C, B, A: body, (unused), description and tags, title.
POSTGRES_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"


def words(text):
    """The words of a text for the index, with the words inside longer ones."""
    return " ".join(word.lower() for word in rjieba.cut_for_search(text or "") if WORD.search(word))


def query_terms(query):
    """The words a query asks for, each once, in order; punctuation asks for nothing."""
    terms = []
    for chunk in (query or "").split():
        for word in rjieba.cut(chunk):
            word = word.lower()
            if WORD.search(word) and word not in terms:
                terms.append(word)
    return terms


TAG = re.compile(r"<[^>]*>")


def plain_text(html):
    """The text of sanitised HTML (ours, so a plain tag pattern is enough, and far quicker than a parser)."""
    return unescape(TAG.sub(" ", html or ""))


def match_expression(terms):
    """What the database matches: every term must occur."""
    if connection.vendor == "postgresql":
        return " ".join(terms)
    return " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


_deferred = threading.local()


@contextmanager
def indexing_deferred():
    """Index each episode saved inside the block once, when the block ends."""
    outer = getattr(_deferred, "pending", None)
    _deferred.pending = set() if outer is None else outer
    try:
        yield
        if outer is None:
            for episode_id in sorted(_deferred.pending):
                index_episode(episode_id)
    finally:
        if outer is None:
            _deferred.pending = None


def schedule_index(episode_id):
    pending = getattr(_deferred, "pending", None)
    if pending is None:
        index_episode(episode_id)
    else:
        pending.add(episode_id)


def index_episode(episode_id):
    """Write the episode's row of the index from what is stored now."""
    from episodes.models import Episode

    episode = Episode.objects.select_related("transcript").filter(pk=episode_id).first()
    if episode is None:
        remove_episode(episode_id)
        return
    transcript = getattr(episode, "transcript", None)
    values = [
        words(episode.title),
        words(episode.description),
        words(" ".join(episode.tags.names())),
        words(plain_text(transcript.html if transcript else "")),
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO episodes_search (rowid, document) VALUES (%s,"
                " setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'D'))"
                " ON CONFLICT (rowid) DO UPDATE SET document = EXCLUDED.document",
                [episode_id, *values],
            )
        else:
            cursor.execute("DELETE FROM episodes_search WHERE rowid = %s", [episode_id])
            cursor.execute(
                "INSERT INTO episodes_search (rowid, title, description, tags, body) VALUES (%s, %s, %s, %s, %s)",
                [episode_id, *values],
            )


def remove_episode(episode_id):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM episodes_search WHERE rowid = %s", [episode_id])


def rebuild_index():
    """Index every episode afresh; return how many."""
    from episodes.models import Episode

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM episodes_search")
    episode_ids = list(Episode.objects.values_list("pk", flat=True))
    for episode_id in episode_ids:
        index_episode(episode_id)
    return len(episode_ids)


def snippet(html, terms, width=60):
    """A short passage around the first match, with every match marked; escaped HTML."""
    text = " ".join(plain_text(html).split())
    lowered = text.lower()
    positions = [(lowered.find(term), term) for term in terms if term in lowered]
    if not positions:
        return escape(text[: width * 2]) + ("…" if len(text) > width * 2 else "")
    first = min(position for position, _ in positions)
    start = max(0, first - width // 2)
    passage = text[start : start + width * 2]
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    marked, last = [], 0
    for match in pattern.finditer(passage):
        marked += [escape(passage[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    marked.append(escape(passage[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return prefix + "".join(marked) + suffix
