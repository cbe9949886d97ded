"""Two app servers, one database and one cache: a change made through one shows through the other.

Runs two gunicorn processes the way production does (DEBUG off), each its
own process with its own local memory, on the database and cache the suite
is given (`DATABASE_URL`, `REDIS_URL`; a fresh SQLite file otherwise).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_env(tmp_path):
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        # A database of its own, beside the suite's.
        import psycopg

        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS cms_two_servers")
            connection.execute("CREATE DATABASE cms_two_servers")
        database_url = database_url.rsplit("/", 1)[0] + "/cms_two_servers"
    else:
        database_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="two-servers-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SUPERUSER_PASSWORD="chief-password-1",
        CACHE_KEY_PREFIX=f"two-servers-{os.getpid()}",
        ACCESS_LOG="",
    )
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["load_demo"],
        ["createsuperuser", "--noinput", "--username", "chief", "--email", "chief@example.org"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=REPO, env=env, check=True, capture_output=True
        )
    return env


@pytest.fixture
def two_servers(server_env):
    servers, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [str(GUNICORN), "--config", "gunicorn.conf.py"],
                    cwd=REPO,
                    env={**server_env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{url}/livez", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


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


def test_an_edit_published_through_one_server_shows_through_the_other(two_servers):
    first, second = two_servers
    title = "尚未发布的一期"

    # Both servers have built and cached their pages.
    for base in (first, second):
        assert fetch(f"{base}/demo/3/")[0] == 404
        assert title not in fetch(f"{base}/demo/")[1]

    opener, post = admin_session(first)
    changelist = (
        opener.open(f"{first}/admin/episodes/episode/?q=%E5%B0%9A%E6%9C%AA", timeout=10).read().decode()
    )
    episode_id = re.search(r'name="_selected_action" value="(\d+)"', changelist).group(1)
    post("/admin/episodes/episode/", {"action": "publish_selected", "_selected_action": [episode_id]})

    status, page = fetch(f"{second}/demo/3/")
    assert status == 200 and title in page
    assert title in fetch(f"{second}/demo/")[1]
    assert title in fetch(f"{second}/feeds/rss/")[1]
