"""Screenshots of the running site for the README, taken in Debian's headless Chromium.

Usage:
    .venv/bin/python docs/screenshot.py URL OUTPUT.png [--width 1000] [--login USER:PASSWORD]
        [--click SELECTOR --wait-for SELECTOR]

With --login, the admin login form at the same host is filled in first.
With --click, the first element matching SELECTOR is activated, and the
screenshot shows the window once --wait-for's element is visible (a dialog,
say) rather than the whole page. With --cursor-after, the cursor goes into
an episode's transcript box just after TEXT, and the screenshot shows the
window around the editor.
"""

import argparse
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("output")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--login", help="USER:PASSWORD for the admin")
    parser.add_argument("--locale", default="zh-CN", help="the language the browser asks for")
    parser.add_argument("--click", help="a CSS selector to click before the screenshot")
    parser.add_argument("--wait-for", help="a CSS selector to wait for after the click")
    parser.add_argument("--cursor-after", help="text of the transcript to put the cursor after")
    args = parser.parse_args()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(args.url))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900}, locale=args.locale)
        # Third-party players cannot load here; the screenshot shows the page around them.
        page.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort()
        )
        if args.login:
            username, password = args.login.split(":", 1)
            page.goto(f"{origin}/admin/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
        page.goto(args.url)
        if args.click:
            # From the keyboard: a click may land beside a small link while web fonts still shift the text.
            page.locator(args.click).first.focus()
            page.keyboard.press("Enter")
            page.locator(args.wait_for).first.wait_for()
        if args.cursor_after:
            page.locator(".transcript-preview p").first.wait_for()
            page.locator(".transcript-editor").evaluate("editor => editor.scrollIntoView()")
            page.locator("#id_transcript-0-source").evaluate(
                """(box, text) => {
                    const at = box.value.indexOf(text) + text.length;
                    box.focus();
                    box.setSelectionRange(at, at);
                    box.blur();
                    box.focus();
                    box.dispatchEvent(new KeyboardEvent("keyup"));
                }""",
                args.cursor_after,
            )
            page.wait_for_timeout(500)
        page.screenshot(path=args.output, full_page=not (args.click or args.cursor_after))
        browser.close()


if __name__ == "__main__":
    main()
