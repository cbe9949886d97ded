"""The walls around the content: response headers, login throttling, the admin's address."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import clear_url_caches

from cms.security import client_address
from column.models import validate_column_slug
from tests.factories import make_episode

pytestmark = pytest.mark.django_db

PLAYER_FRAMES = (
    "frame-src https://player.bilibili.com https://www.youtube-nocookie.com https://www.ixigua.com"
)


def directives(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


@pytest.mark.parametrize(
    "url", ["/", "/business/", "/business/1/", "/search/?q=芯片", "/feeds/rss/", "/nowhere/"]
)
def test_every_response_forbids_inline_script_and_foreign_frames(client, column, url):
    make_episode(column, 1)

    for response in (client.get(url), client.get(url)):  # built, then from the page cache
        policy = directives(response)
        assert policy["script-src"] == "'self'"
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert f"frame-src {policy['frame-src']}" == PLAYER_FRAMES
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_the_admin_carries_the_policy_too(admin_client):
    response = admin_client.get("/admin/episodes/episode/add/")

    assert directives(response)["script-src"] == "'self'"


def test_the_episode_page_has_no_inline_script_only_data(client, column):
    make_episode(column, 1)

    html = client.get("/business/1/").content.decode()

    for tag in html.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert ' src="/static/' in opening or 'type="application/ld+json"' in opening, opening


def test_repeated_failed_logins_lock_the_account_out_from_that_address(client, admin_user):
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/admin/login/", {"username": "admin", "password": "wrong"}).status_code == 429

    locked = client.post("/admin/login/", {"username": "admin", "password": "password"})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    other_address = client.post(
        "/admin/login/", {"username": "admin", "password": "password"}, REMOTE_ADDR="192.0.2.7"
    )
    assert other_address.status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, admin_user):
    for _ in range(4):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "admin", "password": "password"}).status_code == 302
    client.logout()

    for _ in range(4):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})

    assert client.post("/admin/login/", {"username": "admin", "password": "password"}).status_code == 302


@pytest.fixture
def admin_at_backstage():
    import cms.urls

    with override_settings(ADMIN_URL="backstage/"):
        clear_url_caches()
        importlib.reload(cms.urls)
        yield
    clear_url_caches()
    importlib.reload(cms.urls)


def test_the_admin_address_is_configurable(client, admin_user, admin_at_backstage):
    assert client.get("/backstage/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404

    client.force_login(admin_user)
    response = client.get("/backstage/")
    assert response.status_code == 200
    # The moved admin is still kept out of the public page cache.
    assert "ETag" not in response and "public" not in response.get("Cache-Control", "")


def test_a_column_cannot_take_the_admin_address(settings):
    settings.ADMIN_URL = "backstage/"

    with pytest.raises(ValidationError, match="Backstage"):
        validate_column_slug("Backstage")


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.9", "198.51.100.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 198.51.100.20", "203.0.113.9"),
        (2, "203.0.113.9", "198.51.100.1"),
    ],
    ids=["no proxy: header ignored", "one proxy", "spoofed entry skipped", "two proxies", "header too short"],
)
def test_the_client_address_believes_only_the_trusted_proxies(rf, proxies, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR="198.51.100.1", headers={"x-forwarded-for": forwarded})

    with override_settings(PROXY_COUNT=proxies):
        assert client_address(request) == expected
