"""Take the README screenshots from a running server with the demo data: the secretary's
dashboard, editor and history (1280x800), then the partner's group leader: the overview's
to-do and the review bar on a phone (390x844), and the joint op-ed on a desktop.

    .venv/bin/python docs/screenshots/make_screenshots.py http://127.0.0.1:PORT \\
        --email sekreterare@mitten.example --password demo-commsdesk \\
        --leader gruppledare@grona.example

Uses Debian's chromium (/usr/bin/chromium) through Playwright; never a downloaded browser.
The document shown is the one with the most revisions among the first on the dashboard,
unless --document names one. Exits non-zero if the browser reported an error.
"""
import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
DOC_LINK = re.compile(r"^/documents/(\d+)$")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="base URL of a running commsdesk, e.g. http://127.0.0.1:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--document", type=int, help="id of the document to show")
    parser.add_argument("--leader", help="a group leader with a review waiting (phone shots)")
    parser.add_argument("--locale", default="sv-SE")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNGs")
    return parser.parse_args(argv)


def log_in(page, email, password):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def pick_document(page, limit=8):
    """The document with the most revisions among the first ones linked from the dashboard."""
    ids = []
    for href in page.locator("main table a").evaluate_all("els => els.map(e => e.pathname)"):
        match = DOC_LINK.match(href)
        if match and int(match.group(1)) not in ids:
            ids.append(int(match.group(1)))
    if not ids:
        sys.exit("No documents on the dashboard; load the demo data (flask demo) first.")
    counts = {}
    for doc_id in ids[:limit]:
        page.goto(f"/documents/{doc_id}/history")
        counts[doc_id] = page.locator(".revision-row").count()
    return max(ids[:limit], key=lambda doc_id: (counts[doc_id], -ids.index(doc_id)))


def shoot(page, name, out):
    page.mouse.move(0, 0)
    path = out / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"wrote {path}")


def leader_shots(browser, args, problems):
    """The leader's phone: the to-do, then the document opened from the inbox (the review bar);
    the same document on a desktop, with the coalition panel."""
    context = browser.new_context(base_url=args.url.rstrip("/"), locale=args.locale,
                                  viewport={"width": 390, "height": 844},
                                  timezone_id="Europe/Stockholm", device_scale_factor=2)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    log_in(page, args.leader, args.password)
    shoot(page, "todo-phone", args.out)
    page.goto("/inbox")
    page.locator("form[action$='/open'] button").first.click()
    page.locator("#review-bar").wait_for()
    shoot(page, "review-bar-phone", args.out)
    page.set_viewport_size(VIEWPORT)
    # the coalition panel just below the sticky review bar
    page.evaluate("window.scrollTo(0, document.getElementById('coalition')"
                  ".getBoundingClientRect().top + window.scrollY - 150)")
    shoot(page, "coalition", args.out)
    context.close()


def main(argv=None):
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=args.url.rstrip("/"), viewport=VIEWPORT,
                                          locale=args.locale, timezone_id="Europe/Stockholm")
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))

            log_in(page, args.email, args.password)
            page.goto("/")
            doc_id = args.document or pick_document(page)
            page.goto("/")
            shoot(page, "dashboard", args.out)

            page.goto(f"/documents/{doc_id}/edit")
            page.wait_for_load_state("networkidle")
            page.locator("#counters").filter(has_text=re.compile(r"\S")).wait_for()
            shoot(page, "editor", args.out)

            page.goto(f"/documents/{doc_id}/history")
            shoot(page, "history", args.out)
            if args.leader:
                leader_shots(browser, args, problems)
        finally:
            browser.close()
    if problems:
        print("The browser reported problems:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
