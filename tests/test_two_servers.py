"""Two app servers, one database and one cache: a change made through one shows through the other.

Runs two gunicorn processes the way production does (DEBUG off), each its
own process with its own local memory, on the database and cache the suite
is given (`DATABASE_URL`, `REDIS_URL`; a fresh SQLite file otherwise).
"""

import re

import pytest

from tests.servers import admin_session, fetch

pytestmark = pytest.mark.slow


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
