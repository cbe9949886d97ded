"""Debian's headless Chromium for the browser tests: how it starts, what it may reach, how staff log in.

The `browser` fixture (tests/conftest.py) starts it once per test module.
"""

import os
import shutil
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group, User

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium():
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make beside it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            # Chromium stalls under a faked clock (CI runs the suite once under libfaketime): the
            # clock these tests are about is the server's, so the browser keeps the true one.
            true_clock = {name: value for name, value in os.environ.items() if name != "LD_PRELOAD"}
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=true_clock)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def local_context(browser, live_server, **options):
    """A browser context that reaches the test server and nothing else (players are third-party).

    It records what the Content-Security-Policy refused: the site's own
    pages must never need anything the policy forbids. Its language is the
    site's own unless a test asks for another: the machine's would otherwise
    choose the interface's words.
    """
    context = browser.new_context(**{"locale": "zh-CN", **options})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    context.csp_violations = []
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and context.csp_violations.append(message.text)
        ),
    )
    return context


def log_in(browser, live_server, role, username=None, **options):
    """A page of the admin, logged in as a new member of staff with `role`."""
    username = username or role.lower()
    user = User.objects.create_user(username, password="secret-pass", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    context = local_context(browser, live_server, **options)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass")
    page.click("input[type=submit]")
    return page
