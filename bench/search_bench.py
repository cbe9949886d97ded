"""Median latency of the search page on a generated 2,000-episode archive.

Run with `make bench-search` (`DATABASE_URL=…` for PostgreSQL). Builds the
archive as `make bench-import` does, then requests /search/ in-process for
two-character words, a traditional-script word, episode numbers and a quoted
phrase, and the title suggestions for a few words as a reader types them;
reports the median and p99 per query. Writes bench/results/search-<database>.json.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.archive import generate_tree
from bench.import_bench import REPO, manage

QUERIES = ["芯片", "光伏", "汽车", "投资", "地方债 出口", "AI", "房地產", "500", "睡前消息500", '"地方债"']
SUGGESTED = ["芯", "芯片", "睡前消息5", "光伏 出"]
ROUNDS = 100
VACUUM = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"


def _figures(timings):
    timings = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 1),
    }


def measure():
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from episodes.models import Episode

    client = Client()
    results = {"search": {}, "suggestions": {}}
    for path, queries, kind in [
        ("/search/", QUERIES, "search"),
        ("/search/suggestions/", SUGGESTED, "suggestions"),
    ]:
        for query in queries:
            client.get(path, {"q": query})  # warm up
            timings = []
            for _ in range(ROUNDS):
                cache.clear()  # every request searches; none is answered from the page cache
                started = time.perf_counter()
                response = client.get(path, {"q": query})
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            results[kind][query] = {
                "matches": Episode.objects.public().search(query).count(),
                **_figures(timings),
            }
    return results


def main():
    if "--measure" in sys.argv:
        print(json.dumps(measure(), ensure_ascii=False))
        return
    pages = int(os.environ.get("PAGES", "2000"))
    with tempfile.TemporaryDirectory(prefix="bench-search-") as workdir:
        workdir = Path(workdir)
        tree = generate_tree(workdir / "wiki", pages=pages)
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench", "DJANGO_SETTINGS_MODULE": "cms.settings"}
        env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
        env["ALLOWED_HOSTS"] = "testserver"
        env["STATIC_ROOT"] = str(workdir / "static")
        # Migrated first: a flush needs every table of the current models to exist.
        manage("migrate", "--noinput", env=env)
        if env["DATABASE_URL"].startswith("postgres"):
            manage("flush", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        manage("import_wikijs", str(tree), env=env)
        if env["DATABASE_URL"].startswith("postgres"):
            # What autovacuum does soon after a bulk import (hint bits, visibility map, statistics), done
            # before measuring: a server without autovacuum would measure the first reads of new rows.
            manage("shell", "-c", VACUUM, env=env)

        output = subprocess.run(
            [sys.executable, "-m", "bench.search_bench", "--measure"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if output.returncode:
            sys.exit(f"measuring failed:\n{output.stderr[-3000:]}")
        output = output.stdout
    results = json.loads(output.strip().splitlines()[-1])
    database = env["DATABASE_URL"].split(":", 1)[0]
    print(f"{'query':<16}{'matches':>9}{'median ms':>11}{'p99 ms':>9}   ({database}, {pages} episodes)")
    for kind, queries in results.items():
        print(kind)
        for query, figures in queries.items():
            print(f"  {query:<14}{figures['matches']:>9}{figures['median_ms']:>11}{figures['p99_ms']:>9}")
    output_file = REPO / "bench" / "results" / f"search-{database}.json"
    output_file.parent.mkdir(exist_ok=True)
    output_file.write_text(
        json.dumps({"database": database, "pages": pages, "queries": results}, ensure_ascii=False, indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
