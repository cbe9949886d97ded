"""Screenshots of the running site for the README, taken in Debian's headless Chromium.

Usage: .venv/bin/python docs/screenshot.py http://127.0.0.1:8000/demo/1/ docs/episode-page.png [WIDTH]
"""

import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(url, output, width=1100):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": int(width), "height": 900}, device_scale_factor=1)
        # Third-party players cannot load here; the screenshot shows the page around them.
        origin = url.split("/", 3)[:3]
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("/".join(origin)) else route.abort()
            ),
        )
        page.goto(url)
        page.screenshot(path=output, full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
