"""Editors save through the admin while 64 readers load the production server: nothing is lost.

The server runs as in production (gunicorn, DEBUG off) on the suite's
database and cache. For LOAD_SECONDS (60 by default) 64 connections read
the episode page while an editor saves it again and again, each save
writing the same version number into the title and the transcript. No
response may be a server error, no page may show the title of one save
with the transcript of another, and every save must be in the history.
"""

import os
import re
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.admin_forms import FormFields
from tests.servers import admin_session

pytestmark = pytest.mark.slow

LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
READERS = 64
VERSION = re.compile(r"版本 (\d+)")


def read_continuously(url, stop, outcomes):
    """Read the page until told to stop, noting each response's status and the versions it shows.

    Whatever goes wrong is noted as an outcome too: a reader that died would
    otherwise stop reporting, and the test would pass on what it never saw.
    """
    while not stop.is_set():
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                page = response.read().decode()
            title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
            transcript = page[page.index('class="transcript') :]
            outcomes.append((response.status, VERSION.findall(title)[:1], VERSION.findall(transcript)[:1]))
        except urllib.error.HTTPError as error:
            outcomes.append((error.code, [], []))
        except Exception as error:  # every failure is an outcome the test asserts on
            outcomes.append((f"{type(error).__name__}: {error}", [], []))


def test_saves_under_load_are_all_kept_and_never_served_half_done(two_servers):
    base = two_servers[0]
    opener, post = admin_session(base)
    changelist = opener.open(f"{base}/admin/episodes/episode/?q=001", timeout=10).read().decode()
    change_path = re.search(r'href="(/admin/episodes/episode/\d+/change/)', changelist).group(1)

    saves = 0

    def save():
        nonlocal saves
        form = FormFields()
        form.feed(opener.open(base + change_path, timeout=30).read().decode())
        fields = dict(form.fields)
        saves += 1
        fields["title"] = VERSION.sub("", fields["title"]).rstrip() + f" 版本 {saves}"
        fields["transcript-0-source"] = f"版本 {saves} 的文稿。\n\n主持人：正文。"
        fields["revision_comment"] = f"第 {saves} 次保存"
        response = post(change_path, {**fields, "_continue": "1"})
        assert response.status == 200 and "errornote" not in response.read().decode(), saves

    save()  # from here on, every page a reader gets names the version of its title and transcript
    stop, outcomes = threading.Event(), []
    readers = [
        threading.Thread(target=read_continuously, args=(f"{base}/demo/1/", stop, outcomes))
        for _ in range(READERS)
    ]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + LOAD_SECONDS
    try:
        # However slow the machine: long enough, and enough saves and reads to judge by.
        while time.monotonic() < deadline or saves < 10 or len(outcomes) < READERS * 10:
            save()
    finally:
        stop.set()
        for reader in readers:
            reader.join()

    assert [outcome for outcome in outcomes if outcome[0] != 200] == []
    assert [outcome for outcome in outcomes if not outcome[1] or outcome[1] != outcome[2]] == []
    final = urllib.request.urlopen(f"{base}/demo/1/", timeout=10).read().decode()
    assert f"版本 {saves}" in final
    history = opener.open(base + change_path.replace("change/", "history/"), timeout=10).read().decode()
    assert all(f"第 {number} 次保存" in history for number in range(1, saves + 1))
