"""What a search page shows of what it found: the counts by column and year, passages, the closest titles.

The finding itself is `episodes.search`; this module only reads its results.
"""

import heapq
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.html import escape

from episodes.search import WORD, simplified
from markup.sanitise import plain_text


class BroadcastYear(ExtractYear):
    """The year of a date as an integer, for each of the thousands of episodes a common word finds: read
    on SQLite by its own strftime (Django's would call a Python function per row), and on PostgreSQL
    cast from EXTRACT's numeric (which the driver would turn into a Decimal per row). Given an integer by
    either, Django has nothing to convert."""

    @cached_property
    def convert_value(self):
        return self._convert_value_noop

    def as_sqlite(self, compiler, connection, **extra_context):
        date, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {date}) AS integer)", params

    def as_postgresql(self, compiler, connection, **extra_context):
        year, params = self.as_sql(compiler, connection)
        return f"({year})::integer", params


@dataclass(frozen=True)
class Counts:
    """How many episodes a search found by column and by year, each filter within the other."""

    groups: Counter  # how many episodes found, by (column id, year of broadcast or None)
    column: object
    year: int | None

    def in_column(self, column_id):
        return self.column is None or column_id == self.column.pk

    def in_year(self, year):
        return self.year is None or year == self.year

    def by_column(self, columns):
        """(slug, name, count) of each of `columns` that holds a match in the chosen year, in their order."""
        counts = Counter()
        for (column_id, year), found in self.groups.items():
            if self.in_year(year):
                counts[column_id] += found
        return [(column.slug, column.name, counts[column.pk]) for column in columns if counts[column.pk]]

    def by_year(self):
        """(year, count) of each year with a match in the chosen column, latest first."""
        counts = Counter()
        for (column_id, year), found in self.groups.items():
            if year and self.in_column(column_id):
                counts[year] += found
        return sorted(counts.items(), reverse=True)


class Matches(Sequence):
    """Every episode a search found, in its order, read once: the page takes its ids, the filters their
    counts. Each slice (a page) is then fetched from `episodes` by id, the search's work done.

    One pass over the matches instead of two (a count, then the page): each pass evaluates the search
    over every matching document, thousands for a common word.
    """

    def __init__(self, ordered, episodes, column=None, year=None):
        rows = list(ordered.values_list("pk", "column_id", BroadcastYear("aired_on")))
        self.counts = Counts(Counter((column_id, year) for _, column_id, year in rows), column, year)
        self.ids = [
            pk
            for pk, column_id, year in rows
            if self.counts.in_column(column_id) and self.counts.in_year(year)
        ]
        self.episodes = episodes

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.episodes.get(pk=self.ids[index])
        ids = self.ids[index]
        fetched = self.episodes.in_bulk(ids)
        return [fetched[pk] for pk in ids]


def closest_titles(episodes, query, limit=5):
    """For a query that found nothing: the episodes whose titles share most of its characters, best first."""
    wanted = {character for character in simplified(query).lower() if WORD.match(character)}
    if not wanted:
        return []
    shared = []
    for pk, title in episodes.values_list("pk", "title").iterator():
        count = len(wanted & set(title.lower()))
        if count * 2 >= len(wanted):
            shared.append((count, pk))
    best = [pk for _, pk in heapq.nlargest(limit, shared)]
    found = episodes.in_bulk(best)
    return [found[pk] for pk in best]


def snippet(html, terms, width=60):
    """A short passage around the first match, with every match marked, as the text is written; escaped HTML.

    The terms are simplified; the text may be traditional. Matches are found
    in the text as written or, when it holds none, in its simplified reading
    (if that has as many characters: a phrase may read as a longer one).
    """
    text = " ".join(plain_text(html).split())
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))
    reading = text.lower()
    first = pattern.search(reading) if terms else None
    if first is None and terms:
        # Read in simplified script only when the text as written does not hold the terms: most texts are.
        converted = simplified(text).lower()
        if len(converted) == len(text):
            reading, first = converted, pattern.search(converted)
    if first is None:
        return escape(text[: width * 2]) + ("…" if len(text) > width * 2 else "")
    start = max(0, first.start() - width // 2)
    end = start + width * 2
    spans = []
    for match in pattern.finditer(reading, start, end):
        # Words met one after the other (台积 电) are one mark.
        if spans and spans[-1][1] == match.start():
            spans[-1][1] = match.end()
        else:
            spans.append([match.start(), match.end()])
    marked, last = [], start
    for span_start, span_end in spans:
        marked += [escape(text[last:span_start]), f"<mark>{escape(text[span_start:span_end])}</mark>"]
        last = span_end
    marked.append(escape(text[last:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(marked) + suffix
