"""Fail when an episode page of the sample shows less than the wiki showed.

Reads the comparer's JSON lines (compare.py --jsonl --examples N) and, for
every episode page and counted feature, requires the loose share to be whole,
less the items the README names as deliberate differences.
"""

import json
import re
import sys

CORE_FEATURES = (
    "headings", "list_items", "table_cells", "links", "images", "bold",
    "font_color", "callouts", "code", "footnotes", "iframes",
)  # fmt: skip

# What the wiki showed that we deliberately do not (README, "Rendering"), by feature: a test on the
# comparer's display of the missing item.
DELIBERATE = {
    # linkify's fuzzy links: a bare domain or a stock code with no scheme nor www (`603899.SH`, `Amazon.cn`).
    "links": re.compile(r"^\[(?!https?://|www\.)(?P<text>[^\]\s]+)\]\(http://(?P=text)/?\)$"),
}


def shortfalls(record):
    for feature in CORE_FEATURES:
        figures = record["features"][feature]
        missing = figures["oracle"] - figures.get("matched_loose", figures["matched"])
        if missing <= 0:
            continue
        items = [entry["wikijs"] for entry in figures.get("missing", [])]
        deliberate = DELIBERATE.get(feature)
        unexplained = [item for item in items if not (deliberate and deliberate.match(item))]
        if missing > len(items) - len(unexplained):
            yield feature, missing, unexplained


def main(path):
    failures = 0
    with open(path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        if "error" in record:
            print(f"{record['path']}: not compared ({record['error']})")
            failures += 1
            continue
        if record["kind"] != "episode":
            continue
        for feature, missing, items in shortfalls(record):
            failures += 1
            print(f"{record['path']}: {feature}: {missing} of the wiki's items missing, e.g.")
            for item in items[:5]:
                print(f"    {item}")
    episodes = sum(record.get("kind") == "episode" for record in records)
    print(f"{episodes} episode pages compared; {failures} shortfalls")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
