"""Fail when an episode page of the sample shows less than the wiki showed.

Reads the comparer's JSON lines and our saved pages (`oracle_gate.py JSONL ORACLE_DIR OURS_DIR`,
from compare.py --jsonl --examples N --save-ours OURS_DIR in ORACLE_DIR) and, for
every public episode of the site's database (the sample, imported), requires
its page to have been compared as an episode page and, for every counted
feature, the loose share to be whole, less the items the README names as
deliberate differences.
"""

import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# What the wiki showed that we deliberately do not (README, "Rendering"), by feature: a test on the
# comparer's display of the missing item.
DELIBERATE = {
    # linkify's fuzzy links: a bare domain or a stock code with no scheme nor www (`603899.SH`, `Amazon.cn`).
    "links": re.compile(r"^\[(?!https?://|www\.)(?P<text>[^\]\s]+)\]\((?:https?:)?//(?P=text)/?\)$"),
}


# Our own control after each paragraph, which the wiki did not have.
CORRECTION_LINK = re.compile(r'<a class="suggest-correction"[^>]*>[^<]*</a>')


class _Inks(HTMLParser):
    """The text inside each ink of a page (`<span class="ink-indigo">`, or a div), nested ones too."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.texts = [], {}

    def handle_starttag(self, tag, attrs):
        if tag in {"span", "div"}:
            classes = (dict(attrs).get("class") or "").split()
            self.open.append(next((name[4:] for name in classes if name.startswith("ink-")), None))

    def handle_endtag(self, tag):
        if tag in {"span", "div"} and self.open:
            self.open.pop()

    def handle_data(self, data):
        for name in set(filter(None, self.open)):
            self.texts[name] = self.texts.get(name, "") + "".join(data.split())


def inked(our_page):
    """The text our page shows in each ink, white space left out: a wiki font that held blocks
    (paragraphs, a quotation) is more than one element of ink here."""
    parser = _Inks()
    parser.feed(CORRECTION_LINK.sub("", our_page))
    return parser.texts


def shortfalls(record, features, unsaid_warning=None, our_page=""):
    """(feature, missing, unexplained items) for each counted feature the page shows less of.

    `unsaid_warning` is the column's standard warning when the episode has no
    transcript: the site does not put it above nothing (README), as the wiki did.
    The wiki's `<font color>` is shown as an ink of the palette (markup/sanitise.py):
    a highlight missing as a font is found in `our_page` as its ink.
    """
    from markup.sanitise import ink

    inks = inked(our_page)
    for feature in features:
        figures = record["features"][feature]
        missing = figures["oracle"] - figures.get("matched_loose", figures["matched"])
        if missing <= 0:
            continue
        items = [entry["wikijs"] for entry in figures.get("missing", [])]
        deliberate = DELIBERATE.get(feature)
        unexplained = [
            item
            for item in items
            if not (deliberate and deliberate.match(item))
            and not (feature == "callouts" and unsaid_warning and item == f"warning: {unsaid_warning}")
            and not (feature == "font_color" and _shown_in_ink(item, ink, inks))
        ]
        if missing > len(items) - len(unexplained):
            yield feature, missing, unexplained


def _shown_in_ink(item, ink, inks):
    color, _, text = item.partition(": ")
    return "".join(text.split()) in inks.get(ink(color), "")


def public_episodes():
    """Each public episode's wiki path, with its column's standard warning when it has no transcript."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from episodes.models import Episode

    episodes = Episode.objects.public().exclude(legacy_path="").select_related("column", "transcript")
    return {
        episode.legacy_path: None
        if getattr(episode, "transcript", None) and episode.transcript.html
        else " ".join(episode.column.default_warning.split())
        for episode in episodes
    }


def main(path, oracle_dir, ours_dir):
    # The counted features, as the comparer that made the report defines them.
    sys.path.insert(0, oracle_dir)
    from compare import CORE_FEATURES

    with open(path, encoding="utf-8") as lines:
        records = {record["path"]: record for record in map(json.loads, lines)}
    expected = public_episodes()
    failures = 0
    for wiki_path in sorted(expected):
        record = records.get(wiki_path)
        if record is None or "error" in record or record.get("kind") != "episode":
            failures += 1
            reason = "not listed" if record is None else record.get("error") or f"a {record.get('kind')} page"
            print(f"{wiki_path}: not compared as an episode page ({reason})")
            continue
        our_page = Path(ours_dir, f"{wiki_path}.html").read_text(encoding="utf-8")
        for feature, missing, items in shortfalls(record, CORE_FEATURES, expected[wiki_path], our_page):
            failures += 1
            print(f"{wiki_path}: {feature}: {missing} of the wiki's items missing, e.g.")
            for item in items[:5]:
                print(f"    {item}")
    print(f"{len(expected)} episode pages compared; {failures} shortfalls")
    return 1 if failures or not expected else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
