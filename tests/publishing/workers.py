"""Real `flask --app commsdesk worker` processes on the test's database, for crash tests."""
import os
import subprocess
import sys
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from commsdesk.extensions import db
from commsdesk.models import Publication

ROOT = Path(__file__).resolve().parents[2]


def worker_env(**extra):
    """The environment of a worker on the test's database (and secret key, which the
    channel credentials are encrypted with)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMSDESK_")}
    env.update({
        "COMMSDESK_DATABASE_URL": current_app.config["SQLALCHEMY_DATABASE_URI"],
        "COMMSDESK_SECRET_KEY": current_app.config["SECRET_KEY"],
        "COMMSDESK_BASE_URL": current_app.config["BASE_URL"],
        "COMMSDESK_WORKER_POLL_SECONDS": "0.2",
        "COMMSDESK_PUBLISH_STUCK_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
        **extra,
    })
    return env


def start_worker(log_path, **extra):
    """A worker process; its output goes to log_path."""
    log = open(log_path, "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "commsdesk", "worker"],
        cwd=ROOT, env=worker_env(**extra), stdout=log, stderr=subprocess.STDOUT)
    process.log = log
    return process


def stop(process, sig=None):
    """Stop a worker (SIGKILL by default) and wait for it."""
    if process.poll() is None:
        process.kill() if sig is None else process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()


def counts():
    """How many publications are in each state (a fresh read)."""
    db.session.rollback()
    rows = db.session.execute(
        select(Publication.state, func.count()).group_by(Publication.state)).all()
    db.session.rollback()
    return dict(rows)


def wait_until(condition, timeout, process=None, log_path=None):
    """Poll until condition() is true; fails with the worker's log after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    log = Path(log_path).read_text()[-3000:] if log_path else ""
    raise AssertionError(f"timed out; states {counts()}; worker log:\n{log}")
