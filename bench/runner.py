"""The common runner: builds both sizes, alternates their timed calls, reports the ratios.

A concern module describes what it measures as a Benchmark of Measurements and is listed
once in bench/__main__.py; the runner does everything else.
"""

import argparse
import contextlib
import gc
import io
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, text

import bench
from bench import corpus, report
from commsdesk import create_app
from commsdesk.extensions import db

BASELINE = 100
LARGE = 10_000
CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True)
class Operation:
    """One measurement at one size: the call that is timed, what it targets, a note for the
    table (such as which page)."""

    target: str
    call: Callable[[], object]
    note: str = ""


@dataclass(frozen=True)
class Measurement:
    """A timed operation, labelled the same at every size; operation gives it for a size."""

    label: str
    operation: Callable[["Size"], Operation]


@dataclass(frozen=True)
class Benchmark:
    """One measured concern. setup loads what it needs beyond the corpus; check makes sure
    its figures will mean something and returns what it found, for the results."""

    name: str
    measurements: tuple[Measurement, ...]
    setup: Callable[["Size"], None] | None = None
    check: Callable[["Size"], dict] | None = None


def request(label, path, api=False, note=None):
    """A Measurement of one GET of path (or path(n)) as the first organisation's editor,
    through the web session or, with api, with their API token."""

    def operation(size):
        target = path(size.n) if callable(path) else path
        return Operation(target, lambda: size.get(target, api), note(size.n) if note else "")

    return Measurement(label, operation)


# --- the databases -----------------------------------------------------------------------


def pg_schema(n):
    """The PostgreSQL schema of size n."""
    return f"commsdesk_bench_{n}"


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
        """Record the statements run inside the block, and only those."""
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


class Size:
    """One database of a given size, built, logged in to and checked."""

    def __init__(self, n, url, analyze=False):
        self.n, self.url, self.analyze = n, url, analyze
        self.checks = {}

    def build(self, benchmarks):
        """Migrate, load the corpus and what the benchmarks need, log in, run their checks."""
        print(
            f"bench: building {self.n:,} documents per organisation ...",
            file=sys.stderr,
            flush=True,
        )
        start = time.perf_counter()
        self.app = make_app(self.url, self.n)
        with self.app.app_context():
            self.corpus = corpus.load(self.n, self.analyze)
            self.backend = db.engine.dialect.name
            self.server = report.server_version()
            self.counter = QueryCounter(db.engine)
            for benchmark in benchmarks:
                if benchmark.setup:
                    benchmark.setup(self)
        self.build_seconds = time.perf_counter() - start
        self.client = self.app.test_client()
        log_in(self.client, self.corpus.email)
        self.check_tenancy()
        for benchmark in benchmarks:
            if benchmark.check:
                self.checks.update(benchmark.check(self))
        c = self.corpus
        print(
            f"  {c.documents:,} documents, {c.revisions:,} revisions in {self.build_seconds:.1f}s",
            file=sys.stderr,
            flush=True,
        )

    @property
    def visible(self):
        """How many documents the logged-in editor may see: their own and those shared."""
        return self.n + self.corpus.shared

    def check_tenancy(self):
        """The numbers mean nothing unless the editor sees exactly their own and shared ones."""
        total = self.get("/api/v1/documents", api=True).get_json()["total"]
        if total != self.visible:
            raise SystemExit(f"bench: the API lists {total} documents, expected {self.visible}")

    def get(self, path, api=False):
        """GET path as the logged-in editor, or with their API token; it must answer 200."""
        headers = {"Authorization": f"Bearer {self.corpus.token}"} if api else None
        response = self.client.get(path, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {path} answered {response.status_code}")
        return response

    def statements(self, operation):
        """The SQL statements one call of operation runs."""
        with self.counter.capture():
            operation.call()
        return list(self.counter.statements)

    def close(self):
        """Drop the PostgreSQL schema; let go of the connections."""
        with self.app.app_context():
            if self.backend == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {pg_schema(self.n)} CASCADE"))
            db.engine.dispose()


# --- measuring ---------------------------------------------------------------------------


def timed(operation):
    """Seconds one call of operation takes."""
    start = time.perf_counter()
    operation.call()
    return time.perf_counter() - start


def sample(small, large, repeats, warmup):
    """Warm both sizes up, then alternate their timed calls, so that whatever else the
    machine is doing meanwhile weighs on both sides of the ratio alike."""
    for _ in range(warmup):
        small.call()
        large.call()
    gc.collect()
    samples_s, samples_l = [], []
    for i in range(repeats):
        if i % 2:
            samples_l.append(timed(large))
            samples_s.append(timed(small))
        else:
            samples_s.append(timed(small))
            samples_l.append(timed(large))
    return samples_s, samples_l


def ms(seconds):
    """Seconds as milliseconds, rounded for the results."""
    return round(seconds * 1000, 2)


def summarise(benchmark, measurement, ops, samples, statements):
    """One row of the results: medians, their ratio, the spread and the SQL statements."""
    (op_s, op_l), (samples_s, samples_l) = ops, samples
    med_s, med_l = statistics.median(samples_s), statistics.median(samples_l)
    paired = statistics.median(b / a for a, b in zip(samples_s, samples_l, strict=True))
    return {
        "benchmark": benchmark.name,
        "operation": measurement.label,
        "notes": [op_s.note, op_l.note],
        "target_baseline": op_s.target,
        "target_large": op_l.target,
        "median_ms_baseline": ms(med_s),
        "median_ms_large": ms(med_l),
        "ratio": round(med_l / med_s, 2),
        "median_paired_ratio": round(paired, 2),
        "min_max_ms_baseline": [ms(min(samples_s)), ms(max(samples_s))],
        "min_max_ms_large": [ms(min(samples_l)), ms(max(samples_l))],
        "sql_statements": statements,
    }


def measure(benchmarks, small, large, repeats, warmup):
    """Every measurement of benchmarks, at both sizes: one result row each."""
    rows = []
    for benchmark in benchmarks:
        for measurement in benchmark.measurements:
            ops = (measurement.operation(small), measurement.operation(large))
            samples = sample(*ops, repeats, warmup)
            statements = [len(small.statements(ops[0])), len(large.statements(ops[1]))]
            rows.append(summarise(benchmark, measurement, ops, samples, statements))
    return rows


def plans(benchmarks, large):
    """Per measurement label, the query plans of what it runs at the large size."""
    found = {}
    for benchmark in benchmarks:
        for measurement in benchmark.measurements:
            operation = measurement.operation(large)
            found[measurement.label] = report.explain(large.app, large.statements(operation))
    return found


# --- the command -------------------------------------------------------------------------


def parse_args(argv, benchmarks):
    """The command line; --only names one of benchmarks (and may be given again)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=bench.__doc__.split("\n")[0]
    )
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
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        choices=[b.name for b in benchmarks],
        help="run only this benchmark: " + ", ".join(b.name for b in benchmarks),
    )
    return parser.parse_args(argv)


def run(args, benchmarks, repeats, warmup):
    """Build both sizes, measure, explain if asked, and drop the databases again."""
    pg_url = os.environ.get("COMMSDESK_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="commsdesk-bench-") as tmp:
        small, large = (
            Size(n, pg_url or f"sqlite:///{Path(tmp) / f'bench-{n}.sqlite3'}", args.analyze)
            for n in (BASELINE, args.large)
        )
        small.build(benchmarks)
        large.build(benchmarks)
        print("bench: measuring ...", file=sys.stderr, flush=True)
        rows = measure(benchmarks, small, large, repeats, warmup)
        explained = plans(benchmarks, large) if args.explain else {}
        small.close()
        large.close()
    return small, large, rows, explained


def main(benchmarks, argv=None):
    """python -m bench: measure benchmarks (or those named with --only) and report."""
    args = parse_args(argv, benchmarks)
    if args.only:
        benchmarks = [b for b in benchmarks if b.name in args.only]
    repeats = args.repeats or (5 if args.quick else 21)
    warmup = 1 if args.quick else 2
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    small, large, rows, explained = run(args, benchmarks, repeats, warmup)
    machine = report.machine(load_before, os.getloadavg()[0])
    report.print_table(rows, small, large, repeats, warmup, machine)
    elapsed = time.perf_counter() - started
    print(f"total run time {elapsed:.0f}s")
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    shown = report.write(command, rows, small, large, repeats, warmup, machine, elapsed)
    print(f"written {shown}")
    for label, plan in explained.items():
        print(f"\n== {label} (at {large.n:,})\n{plan}")
