"""`flask --app commsdesk newsletters ...`: list send-outs, send one in the foreground with a
progress bar, pause, resume or cancel one (as the operator)."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .errors import DomainError
from .extensions import db
from .models import Mailing, utcnow
from .newsletter import deliver, mailings


def _fail(exc):
    raise click.ClickException(getattr(exc, "message", str(exc)))


def _get(mailing_id):
    try:
        return mailings.get_any(mailing_id)
    except DomainError as exc:
        _fail(exc)


@click.group("newsletters", help="Send-outs by email: list, send, pause, resume, cancel.")
def newsletters():
    pass


@newsletters.command("list", help="List send-outs, newest first.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@with_appcontext
def newsletters_list(limit):
    rows = db.session.execute(select(Mailing).order_by(Mailing.id.desc()).limit(limit)).scalars()
    for m in rows:
        p = mailings.progress(m)
        click.echo(f"{m.id}\t{m.state}\t{m.due_at:%Y-%m-%d %H:%M}Z\t{p['settled']}/{p['total']}"
                   f"\t{m.subject}")


@newsletters.command("send", help="Send a due send-out now, in the foreground, with a "
                     "progress bar (an overdue one is confirmed first).")
@click.argument("mailing_id", type=int)
@with_appcontext
def newsletters_send(mailing_id):
    mailing = _get(mailing_id)
    try:
        if mailing.state == "overdue":
            mailings.confirm_overdue(None, mailing)
    except DomainError as exc:
        _fail(exc)
    if mailing.state == "scheduled" and mailing.due_at > utcnow():
        _fail(Exception(f"Send-out {mailing.id} is not due until "
                        f"{mailing.due_at:%Y-%m-%d %H:%M}Z."))
    # The bar spans the whole send-out: rows settled before (sent earlier, skipped) are done.
    start = mailings.progress(mailing)
    with click.progressbar(length=start["total"], label=f"Send-out {mailing.id}") as bar:
        bar.update(start["settled"])
        while deliver.send_mailing(mailing.id, on_progress=bar.update):
            db.session.refresh(mailing)
            if mailing.state != "sending" or not deliver.due_ids(now=utcnow()).count(mailing.id):
                break
        db.session.refresh(mailing)
        p = mailings.progress(mailing)
        bar.update(p["settled"] - bar.pos)  # rows another worker settled meanwhile
    click.echo(f"Send-out {mailing.id}: {mailing.state}; " + ", ".join(
        f"{state} {n}" for state, n in p["counts"].items() if n))
    if mailing.paused_reason:
        click.echo(mailing.paused_reason)


def _act(function, mailing_id, done):
    try:
        mailing = function(None, _get(mailing_id))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Send-out {mailing.id} {done}.")


@newsletters.command("pause", help="Pause a send-out.")
@click.argument("mailing_id", type=int)
@with_appcontext
def newsletters_pause(mailing_id):
    _act(mailings.pause, mailing_id, "is paused")


@newsletters.command("resume", help="Resume a paused send-out.")
@click.argument("mailing_id", type=int)
@with_appcontext
def newsletters_resume(mailing_id):
    _act(mailings.resume, mailing_id, "goes on")


@newsletters.command("cancel", help="Cancel a send-out: nothing more goes out.")
@click.argument("mailing_id", type=int)
@with_appcontext
def newsletters_cancel(mailing_id):
    _act(mailings.cancel, mailing_id, "is cancelled")
