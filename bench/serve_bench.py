"""Serve a generated 2,000-episode archive the production way and load it with wrk.

`make bench` (SQLite, local-memory cache) or `make bench DB=postgres`
(PostgreSQL with Redis). Builds the archive, imports it, starts gunicorn
with DEBUG off and two workers on 127.0.0.1, and measures with wrk, on
loopback only, in bounded runs: requests per second and p50/p99 latency of
the episode page, a column page of 1,000 episodes, a tag page, the search
page, the site feed, a view that answers a fixed short text and, as the
reference, a bare Django view that answers with the episode page's own bytes
through the same middleware (bench/urls.py); the median of three runs each.
Then 60 s at 64 connections on the
episode page, counting errors and responses over 1 s. Also reports the
import time, the peak memory of a worker and the admin's save of a
35,000-character transcript (bench/admin_save.py). Prints a table and writes
bench/results/serve-<database>.json.
"""

import json
import os
import re
import statistics
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from bench.admin_save import LONGEST_TRANSCRIPT, admin_save_seconds
from bench.archive import generate_tree
from bench.import_bench import REPO, manage
from bench.serving import gunicorn

RUNS = 3
RUN_SECONDS = int(os.environ.get("RUN_SECONDS", "8"))
SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
CONNECTIONS = 16


def wrk(url, connections, seconds):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: _milliseconds(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1)) for p in ("50", "99")}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rate,
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "errors": sum(map(int, errors.groups())) if errors else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "max_ms": _milliseconds(re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+\w+)", output).group(1)),
    }


def _milliseconds(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def worker_peak_memory_mb(master_pid):
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return round(max(peaks), 1) if peaks else None


def main():
    database = os.environ.get("DB", "sqlite")
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as workdir:
        workdir = Path(workdir)
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_BARE_PAGE": str(workdir / "episode-page.html"),
            "ACCESS_LOG": "",
            "STATIC_ROOT": str(workdir / "static"),
        }
        if database == "postgres":
            env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
            env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
            # Migrated first: a flush needs every table of the current models to exist.
            manage("migrate", "--noinput", env=env)
            manage("flush", "--noinput", env=env)
            subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=False, capture_output=True)
        else:
            env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        tree = generate_tree(workdir / "wiki", pages=2000)
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        import_seconds, _ = manage("import_wikijs", str(tree), env=env)

        with gunicorn(env) as (base, server):
            # The bare view answers with the very bytes of the episode page.
            (workdir / "episode-page.html").write_bytes(urllib.request.urlopen(f"{base}/main/500/").read())
            pages = {
                "bare view": "/bench/bare/",
                "trivial view": "/livez",
                "episode page": "/main/500/",
                "column page (1,000)": "/main/",
                "tag page": "/tags/%E8%8A%AF%E7%89%87/",
                "search 芯片": "/search/?q=%E8%8A%AF%E7%89%87",
                "site feed": "/feeds/rss/",
            }
            results = {}
            for name, path in pages.items():
                urllib.request.urlopen(base + path)  # warm the cache as readers would
                runs = [wrk(base + path, CONNECTIONS, RUN_SECONDS) for _ in range(RUNS)]
                results[name] = {
                    key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p99_ms")
                } | {"errors": sum(run["errors"] + run["non_2xx"] for run in runs)}
            soak = wrk(base + pages["episode page"], 64, SOAK_SECONDS)
            memory = worker_peak_memory_mb(server.pid)
            admin_save = admin_save_seconds(base, env, pages["episode page"])

    ceiling = results["bare view"]["rps"]
    print(f"\n{'page':<22}{'req/s':>9}{'of bare':>12}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   ({database})")
    for name, figures in results.items():
        share = figures["rps"] / ceiling * 100
        print(
            f"{name:<22}{figures['rps']:>9.0f}{share:>11.0f}%{figures['p50_ms']:>9.2f}"
            f"{figures['p99_ms']:>9.2f}{figures['errors']:>8}"
        )
    print(
        f"\n{SOAK_SECONDS} s at 64 connections on the episode page: {soak['rps']:.0f} req/s, "
        f"{soak['errors'] + soak['non_2xx']} errors, slowest {soak['max_ms']:.0f} ms"
    )
    print(f"import of the generated archive: {import_seconds:.1f} s; peak worker memory: {memory} MB")
    print(
        f"admin save of a {LONGEST_TRANSCRIPT:,}-character transcript, posted and reloaded: "
        f"{admin_save['median_s'] * 1000:.0f} ms median, {admin_save['max_s'] * 1000:.0f} ms slowest"
    )
    output = REPO / "bench" / "results" / f"serve-{database}.json"
    output.parent.mkdir(exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "database": database,
                "pages": results,
                "soak": soak,
                "import_seconds": import_seconds,
                "worker_peak_mb": memory,
                "admin_save_longest_transcript": admin_save,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
