"""Lighthouse's four scores for the public pages, served the production way, on a phone and a desktop.

`make lighthouse`: the demo column in a fresh SQLite database, static files
collected, gunicorn with DEBUG off on 127.0.0.1, then Lighthouse (the npm
package, at the Makefile's LIGHTHOUSE_VERSION) in Debian's Chromium on the
home, column, episode, tag and search pages, with its mobile settings (a
mid-range phone on a throttled network, simulated) and its desktop ones.
Prints a table with the audits that cost points, writes
bench/results/lighthouse.json and fails when a score is below MINIMUM_SCORE.

A search result page tells search engines not to index it (`noindex`), as
the engines themselves ask of a site's own search results: Lighthouse's
SEO score counts that against it. The table shows that score as measured
and the gate weighs the page without that one audit (DELIBERATE).

The players' iframes come from Bilibili and YouTube; where the machine has
no way out, they fail to load, which Lighthouse counts against best
practices just as a reader's blocked network would.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.import_bench import REPO, manage
from bench.serving import gunicorn

LIGHTHOUSE = REPO / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM_SCORE = 95
PAGES = {
    "home": "/",
    "column": "/demo/",
    "episode": "/demo/1/",
    "tag": "/tags/%E5%8E%BF%E5%9F%8E%E7%BB%8F%E6%B5%8E/",
    "search": "/search/?q=%E5%92%96%E5%95%A1",
}
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}
DELIBERATE = {"search": {"is-crawlable"}}


# Lighthouse now and then loses the trace of a page load (NO_NAVSTART) on a busy machine, and asks
# to be run again.
ATTEMPTS = 3


def run_lighthouse(url, form_factor, report_path):
    command = [
        str(LIGHTHOUSE),
        url,
        *FORM_FACTORS[form_factor],
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report_path}",
        f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    for attempt in range(1, ATTEMPTS + 1):
        if subprocess.run(command, check=False).returncode == 0:
            return json.loads(Path(report_path).read_text())
        print(f"Lighthouse failed on {url} ({form_factor}), attempt {attempt} of {ATTEMPTS}", file=sys.stderr)
    sys.exit(f"Lighthouse could not measure {url} ({form_factor}).")


def category_score(report, category, leaving_out=frozenset()):
    """The category's score as Lighthouse weighs it: the weighted mean of its audits' scores."""
    weighed = [
        (reference["weight"], report["audits"][reference["id"]]["score"])
        for reference in report["categories"][category]["auditRefs"]
        if reference["weight"]
        and report["audits"][reference["id"]]["score"] is not None
        and reference["id"] not in leaving_out
    ]
    return round(sum(weight * score for weight, score in weighed) / sum(w for w, _ in weighed) * 100)


def summary(report, deliberate):
    return {
        category: {
            "score": round(report["categories"][category]["score"] * 100),
            "gated": category_score(report, category, leaving_out=deliberate),
            "short": [
                reference["id"]
                for reference in report["categories"][category]["auditRefs"]
                if reference["weight"] and (report["audits"][reference["id"]]["score"] or 0) < 1
            ],
        }
        for category in CATEGORIES
    }


def main():
    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse is not installed at {LIGHTHOUSE}: run `make lighthouse`.")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as workdir:
        workdir = Path(workdir)
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "lighthouse-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
            "STATIC_ROOT": str(workdir / "static"),
            "ACCESS_LOG": "",
        }
        manage("migrate", "--noinput", env=env)
        manage("load_demo", env=env)
        manage("collectstatic", "--noinput", env=env)
        with gunicorn(env) as (base, _):
            results = {
                page: {
                    form_factor: summary(
                        run_lighthouse(base + path, form_factor, workdir / f"{page}-{form_factor}.json"),
                        DELIBERATE.get(page, frozenset()),
                    )
                    for form_factor in FORM_FACTORS
                }
                for page, path in PAGES.items()
            }

    header = "".join(f"{category:>16}" for category in CATEGORIES)
    print(f"\n{'page':<10}{'settings':<10}{header}")
    below = []
    for page, by_form_factor in results.items():
        for form_factor, page_scores in by_form_factor.items():
            print(
                f"{page:<10}{form_factor:<10}" + "".join(f"{page_scores[c]['score']:>16}" for c in CATEGORIES)
            )
            for category, figures in page_scores.items():
                if figures["short"]:
                    print(f"{'':<20}{category} short of 100 by: {', '.join(figures['short'])}")
                if figures["gated"] < MINIMUM_SCORE:
                    below.append(f"{page} ({form_factor}) {category}: {figures['gated']}")
    output = REPO / "bench" / "results" / "lighthouse.json"
    output.parent.mkdir(exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    if below:
        sys.exit(f"Below {MINIMUM_SCORE}: " + "; ".join(below))


if __name__ == "__main__":
    main()
