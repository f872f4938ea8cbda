"""What a run reports: the machine, the table of ratios, bench/results/latest.json, plans."""

import json
import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from commsdesk.extensions import db

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def server_version():
    """The database server's name and version, for the report."""
    if db.engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version()").scalar().split(",")[0]


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


def machine(load_before, load_after):
    """The machine the run measured on and its load, for context."""
    cores = os.cpu_count()
    return {
        "cores": cores,
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average_1m": [round(load_before, 2), round(load_after, 2)],
    }


def print_context(large, repeats, warmup, machine):
    """The lines above the table: machine, database, data and method."""
    load_before, load_after = machine["load_average_1m"]
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


def print_table(rows, small, large, repeats, warmup, machine):
    """The results as a table of medians and their ratios."""
    print_context(large, repeats, warmup, machine)
    labels = [
        r["operation"] + (" ({} | {})".format(*r["notes"]) if any(r["notes"]) else "") for r in rows
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


def size_summary(size):
    """What was built at one size, for the results file."""
    return {
        "documents_per_organisation": size.n,
        "organisations": 2,
        "documents": size.corpus.documents,
        "revisions": size.corpus.revisions,
        "shared_with_first_organisation": size.corpus.shared,
        "build_seconds": round(size.build_seconds, 2),
        "checks": size.checks,
    }


def write(command, rows, small, large, repeats, warmup, machine, elapsed):
    """Write bench/results/latest.json; returns its path as it is best shown."""
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "rule": "figures are ratios against the baseline size measured in the same run",
        "machine": machine,
        "backend": f"{large.backend} ({large.server})",
        "repeats": repeats,
        "warmup": warmup,
        "benchmarks": list(dict.fromkeys(r["benchmark"] for r in rows)),
        "sizes": {str(s.n): size_summary(s) for s in (small, large)},
        "baseline_size": small.n,
        "large_size": large.n,
        "rows": rows,
        "run_seconds": round(elapsed, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    cwd = Path.cwd()
    return RESULTS.relative_to(cwd) if RESULTS.is_relative_to(cwd) else RESULTS
