import os
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.cache import caches

from tests.browsers import chromium
from tests.factories import make_column
from tests.servers import GUNICORN, REPO, free_port, fresh_database_url, subprocess_environment
from tests.wikijs_trees import write_sample_tree


@pytest.fixture
def column(db):
    return make_column(
        episode_title_pattern="【产经破壁机{number:03}】",
        default_warning="以下文本为音频转录结果，存在一定错误，校对正在进行中。",
    )


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def tree(tmp_path):
    """A small archive with a page of each kind the format knows."""
    return write_sample_tree(tmp_path / "wiki")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def static_files_looked_up_when_asked(settings):
    """WhiteNoise otherwise reads every collected file each time a test client starts."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def unhurried_renderer(settings):
    """Ordinary texts render whatever the machine's load; tests of the deadline set their own."""
    settings.MARKDOWN_RENDER_SECONDS = 30


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages; the caches outlive a test's database."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def server_env(tmp_path):
    env = subprocess_environment(
        DATABASE_URL=fresh_database_url("cms_two_servers", tmp_path),
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
