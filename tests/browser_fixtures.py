"""Real-browser fixtures for every test folder (a pytest plugin loaded by tests/conftest.py,
so one Playwright and one chromium serve the whole session; never import these fixtures into a
test module, which would start a second Playwright): the app served on a free port, Debian's
chromium through Playwright.

A test using `page` fails if the browser reported a console error, an uncaught page error, a
Content-Security-Policy violation or a 5xx response at any point.
"""
import os
import threading

import pytest
from conftest import PASSWORD
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

# make test installs Debian's chromium here (.ci/chromium); COMMSDESK_CHROMIUM names another.
CHROMIUM = os.environ.get("COMMSDESK_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
# Reports every CSP violation as a console error, which the `page` fixture collects.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                + " at " + e.sourceFile + ":" + e.lineNumber);
}, true);
"""


@pytest.fixture(scope="session")
def live_server(app):
    """The app served by werkzeug in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium (never a Playwright-downloaded browser)."""
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def browser_problems():
    """Console errors, page errors, CSP violations and 5xx responses seen during the test."""
    return []


def new_context(browser, base_url, viewport=VIEWPORT):
    """A fresh browser profile speaking Swedish, with relative URLs resolved to the server."""
    ctx = browser.new_context(base_url=base_url, locale="sv-SE",
                              timezone_id="Europe/Stockholm", viewport=viewport)
    ctx.set_default_timeout(10_000)
    ctx.add_init_script(CSP_REPORTER)
    return ctx


def record_problems(page, problems):
    """Append the page's console errors, page errors, CSP violations and 5xx responses to
    `problems` (the test's browser_problems, which fail it)."""
    def on_console(message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            where = message.location.get("url", "") if message.location else ""
            problems.append(f"console {message.type}: {text} ({where or page.url})")

    def on_response(response):
        if response.status >= 500:
            problems.append(
                f"server error: {response.status} {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error} ({page.url})"))
    page.on("response", on_response)
    return page


def sign_in(page, email, password=PASSWORD):
    """Log in through the real form; returns after the dashboard has loaded."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile speaking Swedish, with relative URLs resolved to the server."""
    ctx = new_context(browser, live_server)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, browser_problems):
    """A page whose console errors, page errors, CSP violations and 5xx responses are recorded."""
    return record_problems(context.new_page(), browser_problems)


@pytest.fixture
def log_in(page):
    """Log in through the real form; returns after the dashboard has loaded."""
    def log_in(email, password=PASSWORD):
        return sign_in(page, email, password)
    return log_in


@pytest.fixture
def person(browser, live_server, browser_problems):
    """Several people at once: person(email, viewport) logs the user in in a browser profile
    of their own (Swedish, the given screen size) and returns its page, recorded as `page` is."""
    contexts = []

    def person(email, viewport=VIEWPORT, password=PASSWORD):
        ctx = new_context(browser, live_server, viewport)
        contexts.append(ctx)
        return sign_in(record_problems(ctx.new_page(), browser_problems), email, password)
    try:
        yield person
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a passing browser test that left browser problems behind; list them on any failure."""
    problems = item.funcargs.get("browser_problems") if hasattr(item, "funcargs") else None
    try:
        result = yield
    except BaseException:
        if problems:
            item.add_report_section("call", "browser problems", "\n".join(problems))
        raise
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)
    return result


def pytest_collection_modifyitems(config, items):
    """COMMSDESK_TEST_BROWSER=off leaves out the tests that drive chromium (CI runs them in
    its SQLite pass; its PostgreSQL pass runs everything else, to stay within its time)."""
    if os.environ.get("COMMSDESK_TEST_BROWSER", "on").lower() not in {"off", "0", "no"}:
        return
    kept = [item for item in items if "page" not in getattr(item, "fixturenames", ())]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
