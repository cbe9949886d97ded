"""Time the Wiki.js import of a generated archive, then a re-import of the unchanged tree,
then the import of the same archive as a git repository with its history.

Run with `make bench-import` (`PAGES=…` and `COMMITS=…` to change the size,
`DATABASE_URL=…` for another database; SQLite in fresh files by default).
Prints a table and writes the figures to bench/results/import-<database>.json.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.archive import generate_repository, generate_tree

REPO = Path(__file__).resolve().parent.parent


def manage(*args, env):
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, (result.stdout.strip().splitlines() or [""])[-1]


def main():
    pages = int(os.environ.get("PAGES", "2000"))
    commits = int(os.environ.get("COMMITS", str(3 * pages)))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as workdir:
        workdir = Path(workdir)
        tree = generate_tree(workdir / "wiki", pages=pages)
        characters = sum(len(p.read_text(encoding="utf-8")) for p in tree.rglob("*.md"))
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench", "DJANGO_SETTINGS_MODULE": "cms.settings"}
        env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
        database_url = env["DATABASE_URL"]
        # Migrated first: a flush needs every table of the current models to exist.
        manage("migrate", "--noinput", env=env)
        if env["DATABASE_URL"].startswith("postgres"):
            manage("flush", "--noinput", env=env)
        first, first_summary = manage("import_wikijs", str(tree), env=env)
        again, again_summary = manage("import_wikijs", str(tree), env=env)

        repository = generate_repository(workdir / "repository", pages=pages, commits=commits)
        timings = {}
        for name, options in (("history", []), ("no_history", ["--no-history"])):
            env["DATABASE_URL"] = database_url.replace("bench.sqlite3", f"bench-{name}.sqlite3")
            manage("migrate", "--noinput", env=env)
            if env["DATABASE_URL"].startswith("postgres"):
                manage("flush", "--noinput", env=env)
            timings[name] = manage("import_wikijs", str(repository), *options, env=env)

    database = env["DATABASE_URL"].split(":", 1)[0]
    results = {
        "database": database,
        "pages": pages,
        "characters": characters,
        "import_seconds": round(first, 2),
        "import_summary": first_summary,
        "reimport_seconds": round(again, 2),
        "reimport_summary": again_summary,
        "commits": commits,
        "history_import_seconds": round(timings["history"][0], 2),
        "history_import_summary": timings["history"][1],
        "no_history_import_seconds": round(timings["no_history"][0], 2),
    }
    print(f"{'database':<12}{'pages':>7}{'characters':>13}{'import s':>11}{'re-import s':>13}")
    print(f"{database:<12}{pages:>7}{characters:>13}{first:>11.1f}{again:>13.1f}")
    print(f"first:  {first_summary}\nsecond: {again_summary}")
    print(
        f"as a git repository of {commits} commits: with its history {timings['history'][0]:.1f} s, "
        f"--no-history {timings['no_history'][0]:.1f} s\nwith history: {timings['history'][1]}"
    )
    output = REPO / "bench" / "results" / f"import-{database}.json"
    output.parent.mkdir(exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
