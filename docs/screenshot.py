"""Screenshots of the running site for the README, taken in Debian's headless Chromium.

Usage:
    .venv/bin/python docs/screenshot.py URL OUTPUT.png [--width 1000] [--login USER:PASSWORD]
        [--click SELECTOR --wait-for SELECTOR]

With --login, the admin login form at the same host is filled in first.
With --click, the first element matching SELECTOR is activated, and the
screenshot shows the window once --wait-for's element is visible (a dialog,
say) rather than the whole page. With --cursor-after, the cursor goes into
an episode's transcript box just after TEXT, and the screenshot shows the
window around the editor. With --print, the picture is the first page of
the page printed to PDF by Chromium (A4, the print stylesheet), turned into
a PNG by poppler's pdftoppm.
"""

import argparse
import subprocess
import tempfile
from pathlib import Path
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
    parser.add_argument("--print", action="store_true", help="the first page of the printed page instead")
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
        if args.print:
            print_first_page(page, args.output)
        else:
            page.screenshot(path=args.output, full_page=not (args.click or args.cursor_after))
        browser.close()


def print_first_page(page, output):
    with tempfile.TemporaryDirectory() as workdir:
        pdf = Path(workdir) / "page.pdf"
        page.pdf(path=pdf, format="A4", print_background=True)
        first_page = Path(workdir) / "first"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf, first_page], check=True
        )
        Path(output).write_bytes(first_page.with_suffix(".png").read_bytes())


if __name__ == "__main__":
    main()
