"""Production-like app servers for the tests: gunicorn, DEBUG off, on the suite's database and cache.

The fixtures `server_env` and `two_servers` (tests/conftest.py) start them;
these helpers talk to them as a browser would.
"""

import http.cookiejar
import os
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def admin_session(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path, data):
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
        return opener.open(request, timeout=10)

    opener.open(f"{base}/admin/login/", timeout=10)
    post("/admin/login/", {"username": "chief", "password": "chief-password-1", "next": "/admin/"})
    return opener, post


def fresh_database_url(name, folder):
    """An empty database for a subprocess: beside the suite's on its PostgreSQL server, else a SQLite file."""
    suite_database = os.environ.get("DATABASE_URL", "")
    if not suite_database.startswith("postgres"):
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    import psycopg

    server = suite_database.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def drop_database(database_url):
    if database_url.startswith("postgres"):
        import psycopg

        server, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def subprocess_environment(**settings):
    """This process's environment for a `manage.py` or gunicorn subprocess, with `settings` on top."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    return environment | settings
