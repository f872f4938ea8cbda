"""A personalised newsletter (~20 KB of HTML and text) to 10,000 and 100,000 members through
a local aiosmtpd sink (its own process; it counts messages and discards them), sent by the
engine (newsletter.deliver: the message built once, personalised per recipient, every
recipient's state recorded in group commits) on SQLite, and on PostgreSQL when
COMMSDESK_BENCH_DATABASE_URL or a throwaway PostgreSQL 15 is at hand.

Baseline, in the same run and against the same sink: a plain smtplib loop that builds an
EmailMessage per recipient and sends it over the same number of persistent connections (one
thread each), recording nothing. Printed: messages per second, the ratio engine/baseline
(goal >= 1.0x), the sink's count (must equal the recipients), the time to decide the send-out
(100,000 delivery rows written), and the sending process's peak memory at 100,000 against
10,000 (goal <= 1.3x; each size sends in its own process, ru_maxrss)."""
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import services
from bench.served import free_port

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = int(os.environ.get("BENCH_NEWSLETTER_CONNECTIONS", "4"))
SECRET = "bench-newsletter-secret-0123456789"
PARAGRAPH = ("Kommunfullmäktige beslutade i går om **nya cykelbanor** längs Storgatan och "
             "en utbyggd förskola i Åby. Här är vad det betyder för dig och din familj, och "
             "vad vi i partiet kommer att driva vidare under hösten. ")


def body():
    """Markdown that becomes about 11 KB of HTML and 9 KB of text."""
    parts = []
    for n in range(18):
        parts.append(f"## Del {n + 1}\n\n{PARAGRAPH * 2}\n\n- punkt ett\n- punkt två\n")
    return "\n".join(parts)


# --- the sink ---------------------------------------------------------------------------------

def sink(port, count_file):
    """An SMTP server that counts and discards; writes its count on SIGTERM."""
    from aiosmtpd.controller import Controller

    class Counter:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Counter.count += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_a: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    Path(count_file).write_text(str(Counter.count))


@contextlib.contextmanager
def running_sink():
    """Yields (port, count()) of a sink in its own process."""
    port, count_file = free_port(), tempfile.mktemp(prefix="bench-sink-")
    process = subprocess.Popen([sys.executable, "-m", "bench.newsletter", "sink", str(port),
                                count_file], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    process.stdout.readline()
    counted = {}
    try:
        yield port, counted
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        counted["n"] = int(Path(count_file).read_text())
        os.unlink(count_file)


# --- the engine -------------------------------------------------------------------------------

def _app(url, port=None):
    from bench.runner import quiet_upgrade
    from commsdesk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
                      "BASE_URL": "https://mitten.example", "SERVER_NAME": None,
                      "SMTP_HOST": "127.0.0.1" if port else None, "SMTP_PORT": port or 25,
                      "MAIL_CONNECTIONS": CONNECTIONS, "TESTING": True,
                      "MAIL_FROM": "Mittenpartiet <nyhetsbrev@mitten.example>"})
    with app.app_context():
        quiet_upgrade()
    return app


def prepare(url, size):
    """Members, an approved newsletter and the send-out decided; prints the seconds the
    decision took (its delivery rows written)."""
    from sqlalchemy import update

    from commsdesk import documents, people, workflow
    from commsdesk.extensions import db
    from commsdesk.models import Member, OutgoingEmail
    from commsdesk.newsletter import mailings

    app = _app(url)
    with app.app_context():
        org = people.create_organisation("Mittenpartiet", "mitten")
        editor = people.create_user("red@mitten.example", "Red Aktör", "editor", org,
                                    password="bench-password-1")
        approver = people.create_user("god@mitten.example", "God Kännare", "approver", org,
                                      password="bench-password-1")
        for start in range(0, size, 10_000):
            db.session.execute(Member.__table__.insert(), [
                {"organisation_id": org.id, "name": f"Medlem Nummer{n}",
                 "email": f"m{n}@members.example", "branch": "Centrum", "tags": [],
                 "topics": ["newsletter"], "state": "subscribed", "soft_bounces": 0}
                for n in range(start, min(start + 10_000, size))])
        db.session.commit()
        doc = documents.create_document(editor, "newsletter",
                                        {"title": "Veckobrevet", "body": body()})
        workflow.submit(editor, doc)
        workflow.approve(approver, doc)
        db.session.execute(update(OutgoingEmail).values(state="sent"))
        db.session.commit()
        started = time.perf_counter()
        mailing = mailings.create(editor, doc, {"all_members": True})
        print(json.dumps({"mailing": mailing.id, "create_s": time.perf_counter() - started}))


def send(url, port, mailing_id):
    """Send the send-out; prints messages/s and this process's peak memory."""
    from commsdesk.newsletter import deliver, mailings

    app = _app(url, port)
    with app.app_context():
        started = time.perf_counter()
        result = deliver.send_mailing(mailing_id)
        seconds = time.perf_counter() - started
        progress = mailings.progress(mailings.get_any(mailing_id))
    print(json.dumps({"sent": result["sent"], "seconds": seconds, "state": progress["state"],
                      "rate": result["sent"] / seconds,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


# --- the baseline ----------------------------------------------------------------------------

def baseline(port, size):
    """A plain smtplib loop: an EmailMessage per recipient, CONNECTIONS persistent
    connections (one thread each); prints messages/s."""
    import smtplib
    import uuid
    from email.message import EmailMessage

    from commsdesk.rendering import render_markdown

    html_template = "<p>Hej NAME,</p>" + render_markdown(body()) + '<p><a href="URL">Av</a></p>'
    text_template = "Hej NAME,\n\n" + body() + "\n\nAvregistrera: URL\n"

    def work(index):
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for n in range(index, size, CONNECTIONS):
                msg = EmailMessage()
                msg["From"] = "Mittenpartiet <nyhetsbrev@mitten.example>"
                msg["To"] = f"m{n}@members.example"
                msg["Subject"] = "Veckobrevet"
                msg["Message-ID"] = f"<{uuid.uuid4().hex}@mitten.example>"
                url = f"https://mitten.example/u/{n}"
                msg.set_content(text_template.replace("NAME", f"Medlem{n}").replace("URL", url))
                msg.add_alternative(html_template.replace("NAME", f"Medlem{n}")
                                    .replace("URL", url), subtype="html")
                smtp.send_message(msg)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(CONNECTIONS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    print(json.dumps({"sent": size, "seconds": seconds, "rate": size / seconds}))


# --- the run ------------------------------------------------------------------------------------

def _child(*args):
    out = subprocess.run([sys.executable, "-m", "bench.newsletter", *map(str, args)], cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(database, url, size):
    """One size on one database: decide, send through a fresh sink, then the baseline."""
    prepared = _child("prepare", url, size)
    with running_sink() as (port, counted):
        engine = _child("send", url, port, prepared["mailing"])
    engine["sink"] = counted["n"]
    with running_sink() as (port, counted):
        base = _child("baseline", port, size)
    base["sink"] = counted["n"]
    return {"database": database, "recipients": size, "create_s": prepared["create_s"],
            "engine": engine, "baseline": base, "ratio": engine["rate"] / base["rate"]}


def _sizes(quick):
    given = os.environ.get("BENCH_NEWSLETTER_SIZES")  # e.g. "2000,10000" on a busy machine
    if given:
        return tuple(int(n) for n in given.split(","))
    return (1_000, 10_000) if quick else (10_000, 100_000)


def run(quick=False):
    """Every size on SQLite, then on PostgreSQL when one is available."""
    rows = []
    for size in _sizes(quick):
        with tempfile.TemporaryDirectory(prefix="bench-newsletter-") as folder:
            rows.append(measure("sqlite", f"sqlite:///{folder}/db.sqlite3", size))
        print_row(rows[-1], flush=True)
    if os.environ.get("BENCH_NEWSLETTER_POSTGRES", "1") == "1" and (
            os.environ.get("COMMSDESK_BENCH_DATABASE_URL")
            or os.path.exists(f"{services.PGBIN}/initdb")):
        for size in _sizes(quick):
            with services.postgres() as url:
                rows.append(measure("postgresql", url, size))
            print_row(rows[-1], flush=True)
    return rows


def print_row(row, flush=False):
    engine, base = row["engine"], row["baseline"]
    print(f"{row['database']:10} {row['recipients']:>7} recipients: engine "
          f"{engine['rate']:7.0f} msg/s, baseline {base['rate']:7.0f} msg/s, ratio "
          f"{row['ratio']:.2f}x; sink {engine['sink']}/{row['recipients']} (baseline "
          f"{base['sink']}); decided in {row['create_s']:.2f} s; peak "
          f"{engine['maxrss_mb']:.0f} MB", flush=flush)


def print_rows(rows):
    """The table, and peak memory of the large size against the small one per database."""
    print(f"\nNewsletter send-out ({CONNECTIONS} SMTP connections, aiosmtpd sink)")
    for row in rows:
        print_row(row)
    for database in sorted({r["database"] for r in rows}):
        mine = sorted((r for r in rows if r["database"] == database),
                      key=lambda r: r["recipients"])
        if len(mine) == 2:
            small, large = mine
            print(f"{database}: peak memory {large['recipients']} / {small['recipients']}: "
                  f"{large['engine']['maxrss_mb'] / small['engine']['maxrss_mb']:.2f}x "
                  f"(goal <= 1.3x)")


COMMANDS = {"sink": lambda port, f: sink(int(port), f),
            "prepare": lambda url, n: prepare(url, int(n)),
            "send": lambda url, port, m: send(url, int(port), int(m)),
            "baseline": lambda port, n: baseline(int(port), int(n))}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
