"""How the document list, search, dashboard and API scale with the number of documents.

    python -m bench            # 21 timed repeats per operation and size (make bench)
    python -m bench --quick    # 5 repeats, for a fast look
    python -m bench --explain  # also print the query plans of the SELECTs at the large size

Two sizes are built, each in a fresh database migrated with the real migrations: a SQLite file
in a temp dir, or, if COMMSDESK_BENCH_DATABASE_URL is set, a schema commsdesk_bench_N of that
PostgreSQL database (dropped and recreated, and dropped again at the end). Each has two
organisations of N documents (1-3 revisions, tags; N = 100 for the baseline, 10,000 large),
loaded with SQLAlchemy Core bulk inserts; where the schema has coalition shares, the second
organisation shares one document in a hundred with the first. We log in as an editor of the
first organisation through the real /login form and time whole requests through the Flask test
client, alternating the two sizes request by request so that other load on the machine weighs
on both alike; each figure is the median of the repeats after a warm-up.

The project's rule: results are ratios against the baseline size measured in the same run,
never absolute pass/fail timings. Milliseconds are printed for context only; they depend on the
machine and its load. Results also go to bench/results/latest.json (git-ignored).
"""

import argparse
import contextlib
import gc
import io
import json
import logging
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ["COMMSDESK_ENV"] = "testing"
os.environ.pop("COMMSDESK_DATABASE_URL", None)
os.environ.setdefault("COMMSDESK_SECRET_KEY", "bench-secret")  # keeps instance/ untouched

from flask_migrate import upgrade
from sqlalchemy import event, text

from bench import corpus
from commsdesk import create_app
from commsdesk.extensions import db

BASELINE = 100
LARGE = 10_000
PER_PAGE = 25  # the web list's page size (commsdesk.web.documents.PER_PAGE)
CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"

SEARCH_WORD = "kollektivtrafiken"  # only in the transport topic: roughly one document in eight
FILTER_KIND, FILTER_TAG = "press_release", "Skola"

# --- building a database -----------------------------------------------------------------


def quiet_upgrade():
    """Run the real migrations; Alembic's logging.fileConfig would print to stderr."""
    with contextlib.redirect_stderr(io.StringIO()):
        upgrade()
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)


def make_app(url, n):
    """A migrated, empty database for size n: a SQLite file, or a PostgreSQL schema."""
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "TESTING": True,
        "SECRET_KEY": "bench-secret",
        "SERVER_NAME": None,
        "BASE_URL": "http://localhost",
        "SMTP_HOST": None,
    }
    if url.startswith("postgres"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={pg_schema(n)}"},
        }
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {pg_schema(n)} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {pg_schema(n)}"))
        quiet_upgrade()
    return app


def pg_schema(n):
    return f"commsdesk_bench_{n}"


def build(url, n, analyze=False):
    """A fresh, migrated database with two organisations of n documents; returns app, corpus."""
    app = make_app(url, n)
    with app.app_context():
        loaded = corpus.load(n, analyze)
    return app, loaded


# --- measuring ---------------------------------------------------------------------------


class QueryCounter:
    """Records the SQL statements an engine runs while capturing."""

    def __init__(self, engine):
        self.statements = []
        self.active = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _executemany):
        if self.active:
            self.statements.append((statement, parameters))

    @contextlib.contextmanager
    def capture(self):
        self.statements = []
        self.active = True
        try:
            yield self
        finally:
            self.active = False


def log_in(client, email):
    """Through the real /login form, with the CSRF token from the page's meta tag."""
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(page)
    if not match:
        raise SystemExit('bench: no <meta name="csrf-token"> on /login')
    form = {"csrf_token": match.group(1), "email": email, "password": corpus.PASSWORD}
    response = client.post("/login", data=form)
    if response.status_code != 302:
        raise SystemExit(f"bench: logging in failed with {response.status_code}")


def middle_page(n):
    """Page 200 of 400 at 10,000 documents; page 2 of 4 at 100."""
    return max(1, -(-n // PER_PAGE) // 2)


def operations(n, token):
    """(label, path, headers) for one size; the labels are the same at every size."""
    api = {"Authorization": f"Bearer {token}"}
    return [
        ("list: first page", "/documents", None),
        ("list: middle page", f"/documents?page={middle_page(n)}", None),
        (f"list: search q={SEARCH_WORD}", f"/documents?q={SEARCH_WORD}", None),
        (
            f"list: kind={FILTER_KIND} tag={FILTER_TAG}",
            f"/documents?kind={FILTER_KIND}&tag={FILTER_TAG}",
            None,
        ),
        ("dashboard", "/", None),
        ("api: list per_page=100", "/api/v1/documents?per_page=100", api),
    ]


def get_ok(client, path, headers):
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {path} answered {response.status_code}")
    return response


def timed_get(client, path, headers):
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {path} answered {response.status_code}")
    return elapsed


def sanity_check(client, n, token):
    """The numbers mean nothing if the tenancy filter or the filters do not work."""
    api = {"Authorization": f"Bearer {token}"}
    total = get_ok(client, "/api/v1/documents", api).get_json()["total"]
    if total != n:
        raise SystemExit(f"bench: the API lists {total} documents, expected {n} (tenancy)")
    found = get_ok(client, f"/api/v1/documents?q={SEARCH_WORD}", api).get_json()["total"]
    filtered = get_ok(
        client, f"/api/v1/documents?kind={FILTER_KIND}&tag={FILTER_TAG}", api
    ).get_json()["total"]
    if not (0 < found < n and 0 < filtered < n):
        raise SystemExit(f"bench: search found {found}, filter {filtered} of {n}")
    return {"search_matches": found, "filter_matches": filtered}


def explain(app, captured):
    """Query plans of the distinct SELECTs one request ran that touch documents."""
    lines, seen = [], set()
    with app.app_context(), db.engine.connect() as conn:
        sqlite = db.engine.dialect.name == "sqlite"
        for statement, params in captured:
            if not statement.lstrip().upper().startswith("SELECT") or "documents" not in statement:
                continue
            if statement in seen:
                continue
            seen.add(statement)
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE) "
            rows = conn.exec_driver_sql(prefix + statement, params).fetchall()
            plan = "\n".join("    " + " | ".join(str(c) for c in row) for row in rows)
            lines.append("  " + " ".join(statement.split()) + "\n" + plan)
    return "\n".join(lines)


def server_version():
    if db.engine.dialect.name == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version()").scalar().split(",")[0]


class Size:
    """One database of a given size, built, logged in to and checked."""

    def __init__(self, url, n, analyze):
        print(f"bench: building {n:,} documents per organisation ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        self.n = n
        self.app, loaded = build(url, n, analyze=analyze)
        self.build_seconds = time.perf_counter() - start
        email, self.token, self.shared = loaded.email, loaded.token, loaded.shared
        self.documents, self.revisions = loaded.documents, loaded.revisions
        with self.app.app_context():
            self.backend = db.engine.dialect.name
            self.server = server_version()
            self.counter = QueryCounter(db.engine)
        self.client = self.app.test_client()
        log_in(self.client, email)
        self.checks = sanity_check(self.client, n + self.shared, self.token)
        self.operations = operations(n, self.token)
        print(
            f"  {self.documents:,} documents, {self.revisions:,} revisions "
            f"in {self.build_seconds:.1f}s",
            file=sys.stderr,
            flush=True,
        )

    def statements(self, path, headers):
        with self.counter.capture():
            get_ok(self.client, path, headers)
        return list(self.counter.statements)

    def close(self):
        with self.app.app_context():
            if self.backend == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {pg_schema(self.n)} CASCADE"))
            db.engine.dispose()


def measure(small, large, repeats, warmup):
    """Per operation: warm both sizes up, then alternate their timed requests, so that
    whatever else the machine is doing meanwhile weighs on both sides of the ratio alike."""
    results = []
    for (label, path_s, hdr_s), (_label, path_l, hdr_l) in zip(
        small.operations, large.operations, strict=True
    ):
        for _ in range(warmup):
            get_ok(small.client, path_s, hdr_s)
            get_ok(large.client, path_l, hdr_l)
        gc.collect()
        samples_s, samples_l = [], []
        for i in range(repeats):
            if i % 2:
                samples_l.append(timed_get(large.client, path_l, hdr_l))
                samples_s.append(timed_get(small.client, path_s, hdr_s))
            else:
                samples_s.append(timed_get(small.client, path_s, hdr_s))
                samples_l.append(timed_get(large.client, path_l, hdr_l))
        med_s = statistics.median(samples_s) * 1000
        med_l = statistics.median(samples_l) * 1000
        paired = statistics.median(b / a for a, b in zip(samples_s, samples_l, strict=True))
        results.append(
            {
                "operation": label,
                "path_baseline": path_s,
                "path_large": path_l,
                "median_ms_baseline": round(med_s, 2),
                "median_ms_large": round(med_l, 2),
                "ratio": round(med_l / med_s, 2),
                "median_paired_ratio": round(paired, 2),
                "min_max_ms_baseline": [
                    round(min(samples_s) * 1000, 2),
                    round(max(samples_s) * 1000, 2),
                ],
                "min_max_ms_large": [
                    round(min(samples_l) * 1000, 2),
                    round(max(samples_l) * 1000, 2),
                ],
                "sql_statements": [
                    len(small.statements(path_s, hdr_s)),
                    len(large.statements(path_l, hdr_l)),
                ],
            }
        )
    return results


def print_table(rows, small, large, repeats, warmup, machine, load_before, load_after):
    print()
    print(
        f"machine: {machine['cores']} cores ({machine['usable_cores']} usable), "
        f"{machine['machine']}, Python {machine['python']}; load average "
        f"{load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"database: {large.backend} ({large.server})")
    print(
        f"data: two organisations of N documents each (1-3 revisions, tags); logged in to the "
        f"first. Median of {repeats} timed requests per size, sizes alternated, after "
        f"{warmup} warm-up, Flask test client."
    )
    print()
    labels = [
        r["operation"]
        + (
            f" (p{middle_page(small.n)} | p{middle_page(large.n)})"
            if "middle" in r["operation"]
            else ""
        )
        for r in rows
    ]
    width = max(len(label) for label in labels)
    head_s, head_l = f"ms @ {small.n:,}", f"ms @ {large.n:,}"
    header = f"{'operation':<{width}}  {head_s:>10}  {head_l:>11}  {'ratio':>7}  {'SQL stmts':>9}"
    print(header)
    print("-" * len(header))
    for label, r in zip(labels, rows, strict=True):
        stmts = "{}/{}".format(*r["sql_statements"])
        print(
            f"{label:<{width}}  {r['median_ms_baseline']:>10.2f}  "
            f"{r['median_ms_large']:>11.2f}  {r['ratio']:>6.2f}x  {stmts:>9}"
        )
    print()
    print(
        f"ratio = median at {large.n:,} / median at {small.n:,}, measured in this run. "
        "SQL stmts = statements per request at each size."
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (5 instead of 21)")
    parser.add_argument("--repeats", type=int, help="timed repeats per operation and size")
    parser.add_argument(
        "--large", type=int, default=LARGE, help=f"documents per organisation, large ({LARGE:,})"
    )
    parser.add_argument(
        "--analyze", action="store_true", help="ANALYZE SQLite after loading (PostgreSQL always)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the plans of the SELECTs at the large size"
    )
    args = parser.parse_args(argv)
    repeats = args.repeats or (5 if args.quick else 21)
    warmup = 1 if args.quick else 2
    pg_url = os.environ.get("COMMSDESK_BENCH_DATABASE_URL")

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="commsdesk-bench-") as tmp:
        urls = {
            n: pg_url or f"sqlite:///{Path(tmp) / f'bench-{n}.sqlite3'}"
            for n in (BASELINE, args.large)
        }
        small = Size(urls[BASELINE], BASELINE, args.analyze)
        large = Size(urls[args.large], args.large, args.analyze)
        print("bench: measuring ...", file=sys.stderr, flush=True)
        rows = measure(small, large, repeats, warmup)
        plans = {}
        if args.explain:
            for label, path, headers in large.operations:
                plans[label] = explain(large.app, large.statements(path, headers))
        small.close()
        large.close()
    load_after = os.getloadavg()[0]

    cores = os.cpu_count()
    machine = {
        "cores": cores,
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average_1m": [round(load_before, 2), round(load_after, 2)],
    }
    print_table(rows, small, large, repeats, warmup, machine, load_before, load_after)
    elapsed = time.perf_counter() - started
    print(f"total run time {elapsed:.0f}s")

    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
        "rule": "figures are ratios against the baseline size measured in the same run",
        "machine": machine,
        "backend": f"{large.backend} ({large.server})",
        "repeats": repeats,
        "warmup": warmup,
        "sizes": {
            str(s.n): {
                "documents_per_organisation": s.n,
                "organisations": 2,
                "documents": s.documents,
                "revisions": s.revisions,
                "shared_with_first_organisation": s.shared,
                "build_seconds": round(s.build_seconds, 2),
                "checks": s.checks,
            }
            for s in (small, large)
        },
        "baseline_size": small.n,
        "large_size": large.n,
        "rows": rows,
        "run_seconds": round(elapsed, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    shown = RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS
    print(f"written {shown}")
    for label, plan in plans.items():
        print(f"\n== {label} (at {large.n:,})\n{plan}")


if __name__ == "__main__":
    main()
