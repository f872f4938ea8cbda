"""Pages measured as production serves them: gunicorn (the Procfile's settings) loaded with
wrk, each against a baseline served the same way in the same run (bench/baseline_app.py).

Rounds alternate baseline and subject so that other load on the machine weighs on both;
each figure is the median over the rounds. Ratios of requests per second are subject over
baseline (higher is better); the p99 ratio is subject over baseline (lower is better)."""
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

GUNICORN_ARGS = ["--workers", "2", "--threads", "4", "--log-level", "warning"]
LATENCY_RE = re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
RPS_RE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Comparison:
    """One subject URL against one baseline URL, with what the issue asks of the ratios."""

    label: str
    subject: str
    baseline: str
    min_rps_ratio: float
    max_p99_ratio: float | None = None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_spec, env):
    """A gunicorn serving app_spec on a free port; yields its base URL and stops it after."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
               *GUNICORN_ARGS, app_spec]
    process = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait(base, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: gunicorn stopped with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench: gunicorn did not answer within 30 s")


def check(url):
    """The URL must answer 200 before it is measured (a 404 is fast and means nothing)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise SystemExit(f"bench: {url} answered {response.status}")


def wrk(url, seconds, connections=16):
    """Requests per second and p99 latency (ms) of one wrk run."""
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing (apt-get install wrk)")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"bench: {url} gave non-2xx answers under load:\n{out}")
    p99 = LATENCY_RE.search(out)
    return float(RPS_RE.search(out).group(1)), float(p99.group(1)) * UNITS[p99.group(2)]


def compare(comparisons, rounds, seconds):
    """Alternate baseline and subject runs of every comparison; one result row each."""
    rows = []
    for comparison in comparisons:
        check(comparison.subject)
        check(comparison.baseline)
        wrk(comparison.baseline, 1)  # warm both up
        wrk(comparison.subject, 1)
        base, subj = [], []
        for i in range(rounds):
            pair = (comparison.baseline, comparison.subject)
            results = [wrk(url, seconds) for url in (pair if i % 2 == 0 else pair[::-1])]
            b, s = results if i % 2 == 0 else results[::-1]
            base.append(b)
            subj.append(s)
        rows.append(_row(comparison, base, subj, rounds, seconds))
    return rows


def _row(comparison, base, subj, rounds, seconds):
    rps_b = statistics.median(r for r, _ in base)
    rps_s = statistics.median(r for r, _ in subj)
    p99_b = statistics.median(p for _, p in base)
    p99_s = statistics.median(p for _, p in subj)
    rps_ratio, p99_ratio = round(rps_s / rps_b, 2), round(p99_s / p99_b, 2)
    ok = rps_ratio >= comparison.min_rps_ratio and (
        comparison.max_p99_ratio is None or p99_ratio <= comparison.max_p99_ratio)
    return {
        "benchmark": "served", "operation": comparison.label,
        "subject": comparison.subject, "baseline": comparison.baseline,
        "rps_subject": round(rps_s), "rps_baseline": round(rps_b), "ratio": rps_ratio,
        "p99_ms_subject": round(p99_s, 2), "p99_ms_baseline": round(p99_b, 2),
        "p99_ratio": p99_ratio, "target": _target(comparison), "meets_target": ok,
        "rounds": rounds, "seconds_per_run": seconds,
    }


def _target(comparison):
    text = f"rps >= {comparison.min_rps_ratio}x"
    if comparison.max_p99_ratio is not None:
        text += f", p99 <= {comparison.max_p99_ratio}x"
    return text


def print_rows(rows):
    """The served comparisons as a table."""
    width = max(len(r["operation"]) for r in rows)
    print(f"\n{'served by gunicorn, loaded by wrk':<{width}}  {'req/s':>13}  {'ratio':>6}  "
          f"{'p99 ms':>13}  {'p99 ratio':>9}  target")
    for r in rows:
        print(f"{r['operation']:<{width}}  {r['rps_subject']:>6}/{r['rps_baseline']:<6}  "
              f"{r['ratio']:>5}x  {r['p99_ms_subject']:>6}/{r['p99_ms_baseline']:<6}  "
              f"{r['p99_ratio']:>8}x  {r['target']}{'' if r['meets_target'] else '  (MISSED)'}")
