"""A column's index in parts, as the wiki kept it: its ranges (801–900, a year, the specials), the
groups of ten within a range, and what the site's navigation shows of them (`Column.navigation`)."""

import re
from dataclasses import dataclass
from itertools import groupby

from django.db import models
from django.utils.translation import gettext

UNNUMBERED_GROUP = "未编号"


def episode_group_label(episode, by_month=False):
    """The heading an episode is listed under: the wiki's range of ten numbers (51 → '51 - 60'),
    else, in a column that does not number its episodes, the month it was broadcast ('2023年10月'),
    else 未编号."""
    number = episode.number
    if number is not None and number >= 1:
        start = int((number - 1) // 10 * 10 + 1)
        return f"{start} - {start + 9}"
    if by_month and episode.aired_on is not None:
        return gettext("%(year)d年%(month)d月") % {
            "year": episode.aired_on.year,
            "month": episode.aired_on.month,
        }
    return UNNUMBERED_GROUP


@dataclass(frozen=True)
class ColumnNavigation:
    """A column in the site's navigation (`Column.navigation`)."""

    column: object  # the Column
    ranges: list  # (key, label, count, condition), as `Column.episode_ranges`
    current_range: tuple | None
    episodes: list  # (episode, whether it is the one shown) of the current range, beside an episode

    def range_links(self):
        """(label, address, whether current) of each range."""
        current = self.current_range[0] if self.current_range else None
        return [(label, self.column.range_address(key), key == current) for key, label, _, _ in self.ranges]


def episode_range_key(column, number, aired_on):
    """The range of its column's index an episode stands in: '801-900', 'specials', '2023' or 'undated'."""
    if number is not None and number >= 1:
        start = int((number - 1) // 100 * 100 + 1)
        return f"{start}-{start + 99}"
    if column.numbers_its_episodes:
        return "specials"
    return str(aired_on.year) if aired_on else "undated"


def range_label_and_condition(key):
    """How the index names a range, and which episodes it holds."""
    if key == "specials":
        return gettext("特别节目"), models.Q(number__lt=1) | models.Q(number__isnull=True)
    if key == "undated":
        return gettext("未注明日期"), models.Q(aired_on__isnull=True)
    if "-" in key:
        first, last = map(int, key.split("-"))
        return f"{first}–{last}", models.Q(number__gte=first, number__lt=last + 1)
    return gettext("%(year)d年") % {"year": int(key)}, models.Q(aired_on__year=int(key))


def range_start(path):
    """Where a navigation page's range starts (`main/501-600` → 501); before any range if it has none."""
    number = re.search(r"-?\d+", path.rsplit("/", 1)[-1])
    return int(number.group(0)) if number else float("-inf")


def group_by_range(episodes, by_month=False):
    """Consecutive episodes under their headings: [('51 - 60', [...]), ...], or by month ('2023年10月')."""
    return [
        (label, list(items))
        for label, items in groupby(episodes, key=lambda episode: episode_group_label(episode, by_month))
    ]
