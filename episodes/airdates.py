"""When an episode was broadcast, read from what its page says.

The wiki knew only when each page was created, often years after the
broadcast. Better evidence comes first: a dated column's path
(`daily/2023/10/30`), then a transcript that opens with its date
(`大家好，2025年3月28日星期五`), and only then the page's creation date, which
is a guess the admin lets editors find and correct.
"""

import re
from datetime import date

DATED_PATH = re.compile(r"(?:^|/)(?P<year>(?:19|20)\d\d)/(?P<month>\d{1,2})/(?P<day>\d{1,2})$")
STATED_DATE = re.compile(
    r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
)
MARKUP = re.compile(r"<[^>]*>|\{[^{}]*\}|[#>*_`\[\]]")
# How far into the transcript a date still opens it: the greeting, not a date the episode discusses.
OPENING_CHARACTERS = 120


def _date(match):
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None  # 2023年2月30日 is no day


def from_path(path):
    """The date a dated column's path names (`daily/2023/10/30`), or None."""
    match = DATED_PATH.search(path or "")
    return _date(match) if match else None


def from_transcript(source):
    """The full date a transcript opens with, or None."""
    opening = MARKUP.sub("", source or "").strip()[:OPENING_CHARACTERS]
    match = STATED_DATE.search(opening)
    return _date(match) if match else None
