"""Social posts at their time: POSTS posts due within one minute on a local Mastodon and a
local Bluesky PDS (the test servers in tests/mastodon and tests/bluesky), sent by two RQ
workers (`flask --app commsdesk worker`, each with its clock) on PostgreSQL and Redis.

Measured: how late each post went out (sent_at - due_at: p50, p95, p99, max; targets p95
<= 1 s, p99 <= 2 s), duplicates (posts on the servers beyond one per outbox row: must be
0), and the throughput of a burst (BURST posts due at the same instant) as a ratio of the
local servers' own capacity, measured in the same run by posting straight to them from as
many threads as there are workers.

The posts are scheduled through the real workflow an hour ahead, then moved to their times
(as a reschedule would), so that building them does not eat into the minute measured; the
set-up's review emails are marked sent for the same reason."""
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from bench import services

ROOT = Path(__file__).resolve().parent.parent
POSTS = int(os.environ.get("BENCH_SOCIAL_POSTS", "1000"))
BURST = int(os.environ.get("BENCH_SOCIAL_BURST", "200"))
WORKERS = 2
SPREAD_SECONDS = 60
CALLBACK = "http://127.0.0.1/settings/channels/mastodon/callback"
SECRET = "bench-social-secret-key-0123456789"
CREDENTIALS_KEY = "x7N6m0mYx2Yq3QCdV0Q2b6m2nS8l7HfX1uVZs9cPj0E="


def _servers():
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from tests.bluesky.bluesky_server import APP_PASSWORD, HANDLE, Pds
    from tests.mastodon.mastodon_server import Mastodon

    return Mastodon("social.example").start(), Pds().start(), HANDLE, APP_PASSWORD


def _app(url, redis_url):
    from bench.runner import quiet_upgrade
    from commsdesk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url,
                      "SECRET_KEY": SECRET, "CREDENTIALS_KEY": CREDENTIALS_KEY,
                      "CHANNEL_PRIVATE_HOSTS": True, "BASE_URL": "http://127.0.0.1",
                      "SERVER_NAME": None, "SMTP_HOST": None, "TESTING": True})
    with app.app_context():
        quiet_upgrade()
    return app


def _channels(mastodon, pds, handle, password):
    """An organisation with a Mastodon and a Bluesky channel, connected as people do."""
    from commsdesk import people
    from commsdesk.publishing import channels, mastodon_connect

    org = people.create_organisation("Mittenpartiet", "mitten")
    admin = people.create_user("admin@mitten.example", "Anna Admin", "admin", org,
                               password="bench-password-1")
    url = mastodon_connect.begin(admin, redirect_uri=CALLBACK, website="http://127.0.0.1",
                                 instance_url=mastodon.url, name="Mastodon",
                                 visibility="public")
    back = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    toot = mastodon_connect.finish(admin, state=query["state"], code=query.get("code"),
                                   error=None, redirect_uri=CALLBACK)
    sky = channels.save(admin, "bluesky", values={
        "name": "Bluesky", "pds_url": pds.url, "handle": handle, "app_password": password})
    return org, [toot.id, sky.id]


def _schedule(org, channel_ids, count, label):
    """`count` approved social posts scheduled an hour ahead on both channels; returns
    their document ids."""
    from commsdesk import documents, people, workflow
    from commsdesk.models import utcnow

    editor = people.create_user(f"{label}@mitten.example", "Eva Redaktör", "editor", org,
                                password="bench-password-1")
    leader = people.create_user(f"{label}-ledare@mitten.example", "Lars Ledare", "approver",
                                org, password="bench-password-1")
    ids = []
    for i in range(count):
        doc = documents.create_document(editor, "social_post", {
            "title": f"Inlägg {label} {i}",
            "body": f"Fler förskoleplatser i Älvstad – inlägg {label} nummer {i}. #älvstad"})
        workflow.submit(editor, doc)
        workflow.approve(leader, doc)
        workflow.schedule(editor, doc, utcnow() + timedelta(hours=1), channels=channel_ids)
        ids.append(doc.id)
    return ids


def _forget_setup_emails():
    """The review and approval emails of the set-up are not what is measured: marked sent,
    so the workers do not spend the minute on them."""
    from sqlalchemy import update

    from commsdesk.extensions import db
    from commsdesk.models import OutgoingEmail

    db.session.execute(update(OutgoingEmail).values(state="sent"))
    db.session.commit()


def _move(doc_ids, start, spread):
    """Move the posts' outbox rows to their times: spread evenly from `start` over `spread`
    seconds (0: all at `start`)."""
    from sqlalchemy import update

    from commsdesk.extensions import db
    from commsdesk.models import Publication

    step = spread / max(len(doc_ids), 1)
    for i, doc_id in enumerate(doc_ids):
        db.session.execute(update(Publication).where(Publication.document_id == doc_id)
                           .values(due_at=start + timedelta(seconds=i * step)))
    db.session.commit()


@contextlib.contextmanager
def _workers(url, redis_url):
    env = {**os.environ, "COMMSDESK_DATABASE_URL": url, "COMMSDESK_REDIS_URL": redis_url,
           "COMMSDESK_SECRET_KEY": SECRET, "COMMSDESK_CREDENTIALS_KEY": CREDENTIALS_KEY,
           "COMMSDESK_CHANNEL_PRIVATE_HOSTS": "1", "COMMSDESK_BASE_URL": "http://127.0.0.1",
           "COMMSDESK_ENV": "production"}
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-social-workers-", suffix=".log",
                                      delete=False)
    processes = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "commsdesk",
                                   "worker"], env=env, cwd=ROOT, stdout=log, stderr=log)
                 for _ in range(WORKERS)]
    try:
        _wait_for_workers(redis_url)
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        print(f"worker output: {log.name}")


def _wait_for_workers(redis_url, timeout=120):
    """Until every worker has registered with Redis (started, with its clock)."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(redis_url)
    deadline = time.time() + timeout
    while Worker.count(connection=connection) < WORKERS:
        if time.time() > deadline:
            raise SystemExit("The workers did not start; see their output.")
        time.sleep(0.2)
    time.sleep(1)  # their clocks' first tick


def _settled(doc_ids, deadline):
    """Wait until every row of the documents is settled; returns the rows."""
    from sqlalchemy import select

    from commsdesk.extensions import db
    from commsdesk.models import Publication

    while True:
        db.session.rollback()
        rows = db.session.execute(select(Publication).where(
            Publication.document_id.in_(doc_ids))).scalars().all()
        if all(r.state not in ("queued", "sending") for r in rows) or time.time() > deadline:
            return rows
        time.sleep(0.5)


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _capacity(mastodon, pds, handle, password, count):
    """Posts per second the local servers take straight from WORKERS threads (half the
    posts to each, as in the benchmark)."""
    token = next(iter(mastodon.tokens))
    session = requests.post(f"{pds.url}/xrpc/com.atproto.server.createSession", timeout=5,
                            json={"identifier": handle, "password": password}).json()

    def toot(i):
        requests.post(f"{mastodon.url}/api/v1/statuses", timeout=10,
                      headers={"Authorization": f"Bearer {token}"},
                      data={"status": f"Kapacitetsprov {i}", "visibility": "public"})

    def skeet(i):
        requests.post(f"{pds.url}/xrpc/com.atproto.repo.createRecord", timeout=10,
                      headers={"Authorization": f"Bearer {session['accessJwt']}"},
                      json={"repo": session["did"], "collection": "app.bsky.feed.post",
                            "record": {"$type": "app.bsky.feed.post",
                                       "text": f"Kapacitetsprov {i}",
                                       "createdAt": "2026-11-26T12:00:00.000Z"}})

    def work(n):
        for i in range(n, count, WORKERS):
            (toot if i % 2 else skeet)(i)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / (time.perf_counter() - started)


def _lateness(rows):
    return [(r.sent_at - r.due_at).total_seconds() for r in rows if r.state == "sent"]


def run(quick=False):
    """The rows of the table (see print_rows)."""
    posts = 200 if quick else POSTS
    burst = 100 if quick else BURST
    with services.postgres() as url, services.redis() as redis_url:
        mastodon, pds, handle, password = _servers()
        try:
            return _measure(url, redis_url, mastodon, pds, handle, password, posts, burst)
        finally:
            mastodon.stop()
            pds.stop()


def _measure(url, redis_url, mastodon, pds, handle, password, posts, burst):
    from commsdesk.models import utcnow

    app = _app(url, redis_url)
    with app.app_context():
        org, channel_ids = _channels(mastodon, pds, handle, password)
        spread_docs = _schedule(org, channel_ids, posts // 2, "minut")
        burst_docs = _schedule(org, channel_ids, burst // 2, "skur")
        _forget_setup_emails()
        with _workers(url, redis_url):
            start = utcnow() + timedelta(seconds=5)
            _move(spread_docs, start, SPREAD_SECONDS)
            rows = _settled(spread_docs, time.time() + SPREAD_SECONDS + 120)
            burst_at = utcnow() + timedelta(seconds=3)
            _move(burst_docs, burst_at, 0)
            burst_rows = _settled(burst_docs, time.time() + 300)
        late = _lateness(rows)
        sent_burst = [r for r in burst_rows if r.state == "sent"]
        drain = max(r.sent_at for r in sent_burst) - burst_at if sent_burst else None
        made = len(mastodon.posted()) + len(pds.posts())
        expected = len(rows) + len(burst_rows)
        capacity = _capacity(mastodon, pds, handle, password, burst)
    throughput = len(sent_burst) / drain.total_seconds() if drain else 0
    return [{
        "posts": len(rows), "sent": len(late),
        "p50_s": round(statistics.median(late), 3) if late else None,
        "p95_s": round(_percentile(late, 0.95), 3) if late else None,
        "p99_s": round(_percentile(late, 0.99), 3) if late else None,
        "max_s": round(max(late), 3) if late else None,
        "duplicates": made - expected,
        "not_sent": len(rows) - len(late) + len(burst_rows) - len(sent_burst),
        "burst": len(burst_rows), "burst_posts_per_s": round(throughput, 1),
        "capacity_posts_per_s": round(capacity, 1),
        "ratio": round(throughput / capacity, 2) if capacity else None,
        "meets_target": bool(late) and _percentile(late, 0.95) <= 1
        and _percentile(late, 0.99) <= 2 and made == expected,
    }]


def print_rows(rows):
    """The measurements as a short table."""
    for r in rows:
        print(f"\nsocial posts: {r['posts']} due within {SPREAD_SECONDS} s on Mastodon and "
              f"Bluesky, {WORKERS} RQ workers, PostgreSQL + Redis")
        print(f"  lateness  p50 {r['p50_s']} s  p95 {r['p95_s']} s  p99 {r['p99_s']} s  "
              f"max {r['max_s']} s   (target p95 <= 1 s, p99 <= 2 s)")
        print(f"  duplicates {r['duplicates']}  not sent {r['not_sent']}")
        print(f"  burst of {r['burst']} due at once: {r['burst_posts_per_s']} posts/s = "
              f"{r['ratio']}x the local servers' own {r['capacity_posts_per_s']} posts/s")
        print(f"  {'meets target' if r['meets_target'] else 'MISSED target'}")
