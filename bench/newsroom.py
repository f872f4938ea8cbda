"""The newsroom as the public reaches it: home and a text page served by gunicorn, with the
page cache off (every request renders from the database) and on, against bare Flask pages
served the same way from the same database.

The database: one organisation with TEXTS texts published through the real workflow and
worker (so the rows are exactly what production has)."""
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.served import Comparison, compare, gunicorn

TEXTS = int(os.environ.get("BENCH_NEWSROOM_TEXTS", "100"))
ORG = "mitten"


def build(url):
    """Migrate and publish TEXTS texts on the organisation's newsroom; returns a text's path."""
    from bench.runner import make_app
    from commsdesk import documents, jobs, people, workflow
    from commsdesk.extensions import db
    from commsdesk.models import Publication

    app = make_app(url, TEXTS)
    with app.app_context():
        org = people.create_organisation("Mittenpartiet", ORG)
        editor = people.create_user("redaktor@mitten.example", "Eva Redaktör", "editor", org,
                                    password="bench-password-1")
        leader = people.create_user("ledare@mitten.example", "Lars Ledare", "approver", org,
                                    password="bench-password-1")
        for i in range(TEXTS):
            doc = documents.create_document(editor, "press_release", {
                "title": f"Ny förskola i Åby, del {i}",
                "lead": "Kommunen bygger en ny förskola med plats för 120 barn.",
                "body": "Vi har länge drivit frågan. " * 40,
            }, tags=["skola", "barn"] if i % 2 else ["ekonomi"])
            workflow.submit(editor, doc)
            workflow.approve(leader, doc)
            workflow.publish(editor, doc)
        while jobs.run_once()["publications"]:
            pass
        path = db.session.query(Publication.payload).filter_by(state="sent").first()[0]["path"]
    return path


def comparisons(app_base, base_base, path):
    home = f"{app_base}/n/{ORG}/"
    text = app_base + path
    return {
        "uncached": [
            Comparison("newsroom home, uncached vs 20 rows", home, f"{base_base}/rows", 0.6, 2.0),
            Comparison("newsroom text, uncached vs 20 rows", text, f"{base_base}/rows", 0.6, 2.0),
        ],
        "cached": [
            Comparison("newsroom home, cached vs hello", home, f"{base_base}/hello", 0.7),
            Comparison("newsroom text, cached vs hello", text, f"{base_base}/hello", 0.7),
        ],
    }


def run(quick=False):
    """Build, serve, load; returns the result rows."""
    rounds, seconds = (3, 2) if quick else (5, 5)
    with tempfile.TemporaryDirectory(prefix="commsdesk-bench-served-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'newsroom.sqlite3'}"
        print(f"bench: publishing {TEXTS} texts to a newsroom ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        # The demo mail transport prints every notification email; keep the report readable.
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            path = build(url)
        print(f"  built in {time.perf_counter() - started:.1f}s; serving with gunicorn, "
              f"loading with wrk ({rounds} rounds of {seconds}s) ...", file=sys.stderr,
              flush=True)
        env = {"COMMSDESK_DATABASE_URL": url, "COMMSDESK_ENV": "production",
               "COMMSDESK_SECRET_KEY": "bench-secret", "BENCH_DATABASE_URL": url,
               "COMMSDESK_BASE_URL": "http://127.0.0.1"}
        rows = []
        with contextlib.ExitStack() as stack:
            base = stack.enter_context(gunicorn("bench.baseline_app:create_app()", env))
            for mode, cache in (("uncached", "off"), ("cached", "on")):
                app_base = stack.enter_context(
                    gunicorn("commsdesk:create_app()", {**env, "COMMSDESK_NEWSROOM_CACHE": cache}))
                rows += compare(comparisons(app_base, base, path)[mode], rounds, seconds)
    return rows


if __name__ == "__main__":
    from bench.served import print_rows

    os.environ.setdefault("COMMSDESK_ENV", "testing")
    print_rows(run(quick="--quick" in sys.argv))
