"""Full-text search over episodes, in Chinese, on SQLite and PostgreSQL alike.

Chinese has no spaces between words, so every text is cut into words by
jieba (through rjieba, its Rust port) before either database sees it: the
index holds the words and, for longer ones, the words inside them (芯片厂 →
芯片, 芯片厂), so a word found inside a longer one still matches. The
database's own engine does the rest: an FTS5 table on SQLite, a weighted
`tsvector` with a GIN index on PostgreSQL. Both live in the table
`episodes_search`, one row per episode, keyed by the episode's id.

What comes first is what a reader asks for (see `matching`): the episode
asked for by number, titles that hold the query, then the engines' score,
which weighs the title above tags and description above the transcript.

A quoted phrase must also be found as written, which each database looks up
in a trigram index of the transcripts (pg_trgm on PostgreSQL, an FTS5
trigram table on SQLite) rather than by reading them.

`Episode.objects.search(q)` is the one way to search; `index_episode` keeps
the index current. This module owns the index and the finding: its fields
and weights, its model, its lookup, its score and its time limit; what a
page shows of the results is `episodes.search_results`.
"""

import operator
import re
import threading
import time
from contextlib import contextmanager
from functools import reduce

import rjieba
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connection, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL
from opencc import OpenCC
from psycopg.errors import QueryCanceled

from markup.sanitise import plain_text

WORD = re.compile(r"\w")
# An episode asked for by its number, with or without its column's name: 881, 881期, 睡前消息881, 参考信息 273.
# A number right after a Latin word is part of it (DeepSeek-R1, iPhone 15), not an episode's.
NUMBERED = re.compile(r"^(?P<name>\D*?)(?<![A-Za-z-])\s*(?P<number>\d{1,6}(?:\.\d{1,2})?)\s*期?$")
# How many steps SQLite's engine takes between two looks at a search's deadline.
SQLITE_STEPS_PER_CHECK = 1000
# Past this many words a query asks for nothing more: each word is one more pass over the index.
MAX_TERMS = 8
# Words in quotation marks, straight or curly, are asked for as one phrase.
PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')
LIKE_WILDCARDS = re.compile(r"[%_]")
# SQLite's trigram index of the transcripts' text (migration 0017).
TRANSCRIPT_TRIGRAMS = "episodes_transcript_trigrams"
# Traditional characters, and Taiwan's words for things (晶片, 軟體), are read as the simplified ones
# (芯片, 软件), in the index and in queries alike: either script finds the other.
SIMPLIFIED = OpenCC("tw2sp")


def simplified(text):
    return SIMPLIFIED.convert(text)


# The index's fields, in the FTS5 table's column order, each with its bm25 weight
# on SQLite and its weight class in PostgreSQL's tsvector.
FIELDS = {"title": (10.0, "A"), "description": (4.0, "B"), "tags": (6.0, "B"), "body": (1.0, "D")}
# What ts_rank counts a match of each weight class, in its order: D, C, B, A.
POSTGRES_CLASS_WEIGHTS = [0.1, 0.2, 0.5, 1.0]


def words(text):
    """The words of a text for the index, in simplified script, with the words inside longer ones.

    A number written with zeros before it (【产经破壁机086】) is also indexed
    without them, as readers ask for it (86).
    """
    indexed = []
    for word in rjieba.cut_for_search(simplified(text or "")):
        if WORD.search(word):
            indexed.append(word.lower())
            if word.isdigit() and len(word) > 1 and word.startswith("0"):
                indexed.append(word.lstrip("0") or "0")
    return " ".join(indexed)


def query_terms(query):
    """The words a query asks for, in simplified script, each once, in order; punctuation asks for nothing.

    Asked for by number (睡前消息881期), the words are the column's name and the number.
    """
    query = simplified(query or "")
    numbered = NUMBERED.match(query.strip())
    if numbered:
        query = f"{numbered['name']} {numbered['number']}"
    terms = []
    for chunk in query.split():
        for word in rjieba.cut(chunk):
            word = word.lower()
            if WORD.search(word) and word not in terms:
                terms.append(word)
    return terms[:MAX_TERMS]


def _number_asked(query):
    """The episode a query asks for by number, as a condition; None for a query that names none."""
    numbered = NUMBERED.match(simplified(query).strip())
    if numbered is None:
        return None
    asked = Q(number=numbered["number"])
    name = numbered["name"].strip()
    return asked & (_field_holds("column__name", name) | _field_holds("title", name)) if name else asked


def _phrases(query):
    """Each quoted phrase, as the forms it is looked for in: simplified, and as typed where that differs
    (a transcript in traditional characters holds the phrase as a reader of that script types it)."""
    phrases = []
    for straight, curly in PHRASE.findall(query):
        typed = (straight or curly).strip()
        phrases.append(sorted({simplified(typed), typed}))
    return phrases


def _holds(field, forms, lookup):
    """The condition that `field` holds one of a phrase's forms."""
    return reduce(operator.or_, (Q(**{f"{field}__{lookup}": form}) for form in forms))


def _transcript_holds(form, lookup, candidates):
    """The condition that a transcript's text holds `form`.

    Each database looks a form of three characters or more up in its trigram index (migration 0017):
    SQLite's FTS5 table serves a LIKE without wildcards of its own (an ESCAPE clause would keep the
    index out), PostgreSQL's planner finds pg_trgm's index by itself. A shorter form has no trigram:
    it is read for in the transcripts of the `candidates` only, the episodes holding its words.
    """
    if len(form) < 3 or LIKE_WILDCARDS.search(form):
        return Q(**{f"source__{lookup}": form, "episode__in": candidates})
    if connection.vendor == "sqlite":
        return Q(
            pk__in=RawSQL(f"SELECT rowid FROM {TRANSCRIPT_TRIGRAMS} WHERE source LIKE %s", [f"%{form}%"])
        )
    return Q(**{f"source__{lookup}": form})


# A Latin word this long or longer also matches the words it begins (deeps → DeepSeek); a shorter
# one (ai, 5g) would match too many.
PREFIX_LENGTH = 3
LATIN_WORD = re.compile(r"^[a-z0-9]+$")


def _containment(*texts):
    """The lookup that finds `texts` as written: case-blind only where case can differ (Latin letters,
    full-width ones too, Greek, Cyrillic), not for Chinese characters and digits.

    A case-blind lookup upper-cases every text it reads (on PostgreSQL, a third of the time a word on
    every page takes to rank) and cannot use PostgreSQL's index of the transcripts' trigrams.
    """
    return "icontains" if any(text.upper() != text.lower() for text in texts) else "contains"


def _field_holds(field, text):
    """The condition that `field` holds `text`, by `_containment`."""
    return Q(**{f"{field}__{_containment(text)}": text})


def _is_prefix(term):
    return len(term) >= PREFIX_LENGTH and LATIN_WORD.match(term) is not None and not term.isdigit()


def _postgres_query(terms, combine=operator.and_):
    queries = [
        SearchQuery(f"{term}:*", config="simple", search_type="raw")
        if _is_prefix(term)
        else SearchQuery(term, config="simple", search_type="plain")
        for term in terms
    ]
    return reduce(combine, queries)


def _fts5_query(terms):
    return " AND ".join(
        '"{}"{}'.format(term.replace('"', '""'), "*" if _is_prefix(term) else "") for term in terms
    )


class SearchDocumentField(models.Field):
    """An entry's document: the FTS5 table's columns on SQLite, a weighted `tsvector` on PostgreSQL."""

    def db_type(self, connection):
        return None  # the table is made by a migration of its own


@SearchDocumentField.register_lookup
class Match(models.Lookup):
    """`document__match=terms`: the entries that hold every one of the terms."""

    lookup_name = "match"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        # FTS5 matches against its hidden column named after the table.
        table = connection.ops.quote_name(self.lhs.target.model._meta.db_table)
        return f"{compiler.quote_name_unless_alias(self.lhs.alias)}.{table} MATCH %s", [_fts5_query(self.rhs)]

    def as_postgresql(self, compiler, connection):
        document, document_params = self.process_lhs(compiler, connection)
        query, query_params = compiler.compile(_postgres_query(self.rhs).resolve_expression(compiler.query))
        return f"{document} @@ {query}", [*document_params, *query_params]


class SearchScore(models.Func):
    """How well a document matches the terms: higher is better, on both databases."""

    output_field = models.FloatField()

    def __init__(self, document, terms):
        self.terms = terms
        super().__init__(document)

    def as_sql(self, compiler, connection, **extra):
        (document,) = self.get_source_expressions()
        weights = ", ".join(str(bm25_weight) for bm25_weight, _ in FIELDS.values())
        return f"-bm25({compiler.quote_name_unless_alias(document.alias)}, {weights})", []

    def as_postgresql(self, compiler, connection, **extra):
        (document,) = self.get_source_expressions()
        # Ranked by any of the terms: each term's weighted frequency adds up, as in bm25. (Every term is
        # there: the match asks for all.) Ranked by all of them, ts_rank would also weigh how near they
        # stand, at twice the cost, and SQLite has no such measure.
        query = _postgres_query(self.terms, combine=operator.or_)
        rank = SearchRank(document, query, weights=POSTGRES_CLASS_WEIGHTS)
        return compiler.compile(rank.resolve_expression(compiler.query))


class SearchEntry(models.Model):
    """An episode's row in the search index, written by `index_episode`."""

    episode = models.OneToOneField(
        "episodes.Episode",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    document = SearchDocumentField()

    class Meta:
        # Made by its migration by hand: Django cannot describe either database's index table. Managed
        # all the same, so that a flush (and each test) empties it with the episodes it refers to.
        db_table = "episodes_search"

    def __str__(self):
        return f"search entry of episode {self.episode_id}"


def matching(episodes, query):
    """The episodes that hold every word of `query`, best first, with `search_score`; none for no words.

    First the episode a query asks for by number; then those whose title holds
    the whole query, then those whose title holds its every word; then by
    score (the title above the description above the transcript, and more
    occurrences above fewer); ties to the newer episode. Quoted words must be
    found together, as written.
    """
    terms = query_terms(query)
    if not terms:
        return episodes.none()
    matched = SearchEntry.objects.filter(document__match=terms).values("episode_id")
    for forms in _phrases(query):
        lookup = _containment(*forms)
        in_transcript = _transcripts().filter(
            reduce(operator.or_, (_transcript_holds(form, lookup, matched) for form in forms))
        )
        holding = _episodes().filter(
            _holds("title", forms, lookup)
            | _holds("description", forms, lookup)
            | Q(pk__in=in_transcript.values("episode_id"))
        )
        # A condition of the search's one query (a search page reads its matches once), not a list of
        # ids fetched beforehand: one round trip less, and the planner weighs it with the match.
        episodes = episodes.filter(pk__in=holding.values("pk"))
    whole = " ".join(simplified(PHRASE.sub(r"\1\2", query)).split())
    number = _number_asked(query)
    episodes = episodes.annotate(
        asked_by_number=_flag(number) if number is not None else Value(0, models.IntegerField()),
        title_holds_query=_flag(_field_holds("title", whole)),
        title_holds_terms=_flag(reduce(operator.and_, (_field_holds("title", term) for term in terms))),
    )
    episodes = episodes.filter(search_entry__document__match=terms)
    if connection.vendor == "sqlite":
        # Given the matches as a list too, SQLite starts from its index rather than from the episodes.
        episodes = episodes.filter(
            pk__in=SearchEntry.objects.filter(document__match=terms).values("episode_id")
        )
    return episodes.annotate(search_score=SearchScore(F("search_entry__document"), terms)).order_by(
        "-asked_by_number", "-title_holds_query", "-title_holds_terms", "-search_score", "-published_at"
    )


def _flag(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=models.IntegerField())


class TookTooLong(Exception):
    """A search stopped at its time limit."""


@contextmanager
def time_limit(seconds):
    """Stop the queries made inside the block once `seconds` have passed: no search may hold a worker.

    PostgreSQL stops a statement past its `statement_timeout`, set for the
    block's transaction only; SQLite asks a progress handler every few
    thousand steps of its engine. Either way the block raises `TookTooLong`.
    """
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)",
                        [f"{max(1, round(seconds * 1000))}ms"],
                    )
                yield
        except OperationalError as error:
            if isinstance(error.__cause__, QueryCanceled):
                raise TookTooLong from error
            raise
        return
    connection.ensure_connection()
    deadline = time.monotonic() + seconds
    connection.connection.set_progress_handler(lambda: time.monotonic() >= deadline, SQLITE_STEPS_PER_CHECK)
    try:
        yield
    except OperationalError as error:
        if "interrupted" in str(error):
            raise TookTooLong from error
        raise
    finally:
        connection.connection.set_progress_handler(None, 0)


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


def _episodes():
    return SearchEntry._meta.get_field("episode").related_model.objects


def _transcripts():
    return _episodes().model._meta.get_field("transcript").related_model.objects


def index_episode(episode_id):
    """Write the episode's entry from what is stored now; a deleted episode's entry goes."""
    episode = _episodes().select_related("transcript").filter(pk=episode_id).first()
    if episode is None:
        remove_episode(episode_id)
        return
    transcript = getattr(episode, "transcript", None)
    texts = {
        "title": words(episode.title),
        "description": words(episode.description),
        "tags": words(" ".join(episode.tags.names())),
        "body": words(plain_text(transcript.html if transcript else "")),
    }
    if connection.vendor == "postgresql":
        document = reduce(
            operator.add,
            (SearchVector(Value(texts[name]), config="simple", weight=FIELDS[name][1]) for name in FIELDS),
        )
        SearchEntry.objects.update_or_create(episode_id=episode_id, defaults={"document": document})
        return
    # FTS5's columns have no counterpart in the model: they are written by name.
    remove_episode(episode_id)
    columns, placeholders = ", ".join(FIELDS), ", ".join(["%s"] * len(FIELDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SearchEntry._meta.db_table} (rowid, {columns}) VALUES (%s, {placeholders})",
            [episode_id, *(texts[name] for name in FIELDS)],
        )


def remove_episode(episode_id):
    SearchEntry.objects.filter(pk=episode_id).delete()


def rebuild_index():
    """Index every episode afresh; return how many."""
    SearchEntry.objects.all().delete()
    episode_ids = list(_episodes().values_list("pk", flat=True))
    for episode_id in episode_ids:
        index_episode(episode_id)
    return len(episode_ids)
