"""Command-line interface for operators and scripts: orgs, users, tokens, demo, worker,
publications, serve."""
import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.serving import run_simple

from . import demo, jobs, people
from .access import ROLES
from .errors import DomainError
from .extensions import db
from .models import PUBLICATION_STATES, Organisation, User
from .publishing import actions as publishing_actions
from .publishing import channels as publishing_channels


def _fail(exc):
    raise click.ClickException(getattr(exc, "message", str(exc)))


@click.group("orgs", help="Manage organisations.")
def orgs():
    pass


@orgs.command("add", help="Create an organisation.")
@click.argument("name")
@click.option("--slug", required=True, help="Short lower-case identifier, e.g. mitten-alvstad.")
@click.option("--timezone", default=None, help="IANA time zone (default COMMSDESK_TIMEZONE).")
@with_appcontext
def orgs_add(name, slug, timezone):
    try:
        org = people.create_organisation(name, slug, timezone)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Created organisation {org.slug} (id {org.id}).")


@orgs.command("list", help="List organisations.")
@with_appcontext
def orgs_list():
    for org in db.session.execute(select(Organisation).order_by(Organisation.slug)).scalars():
        click.echo(f"{org.slug}\t{org.name}\t{org.timezone}")


@click.group("users", help="Manage users.")
def users():
    pass


@users.command("add", help="Create a user; the password is prompted or read from stdin.")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Role in the organisation.")
@click.option("--org", "org_slug", required=True, help="Slug of the organisation.")
@click.option("--superuser", is_flag=True, help="Also an installation superuser.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_add(email, name, role, org_slug, superuser, password_stdin):
    try:
        org = people.get_organisation(org_slug)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        user = people.create_user(email, name, role, org, password=password, superuser=superuser)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Created {user.role} {user.email} in {org.slug}.")


@users.command("list", help="List users, optionally of one organisation.")
@click.option("--org", "org_slug", default=None, help="Slug of the organisation.")
@with_appcontext
def users_list(org_slug):
    query = select(User).order_by(User.email)
    if org_slug:
        try:
            query = query.where(User.organisation_id == people.get_organisation(org_slug).id)
        except DomainError as exc:
            _fail(exc)
    for user in db.session.execute(query).scalars():
        org = user.organisation.slug if user.organisation else "-"
        flags = ("superuser " if user.is_superuser else "") + ("" if user.active else "disabled")
        click.echo(f"{user.email}\t{user.name}\t{user.role}\t{org}\t{flags.strip()}")


@click.group("tokens", help="Manage API tokens.")
def tokens():
    pass


@tokens.command("issue", help="Issue an API token for a user; prints only the token.")
@click.argument("email")
@with_appcontext
def tokens_issue(email):
    user = db.session.execute(select(User).where(User.email == email.strip().lower())).scalar()
    if user is None:
        _fail(click.ClickException(f"No user with email {email}."))
    if not user.active or user.organisation_id is None:
        _fail(click.ClickException(f"{user.email} is disabled or has no organisation; "
                                   "the API would refuse its token."))
    click.echo(people.issue_token(user))


@click.command("demo", help="Load the Swedish demo data (organisation, users, documents).")
@click.option("--if-empty", is_flag=True, help="Do nothing if any organisation exists.")
@with_appcontext
def demo_command(if_empty):
    if db.session.execute(select(Organisation.id)).first():
        if if_empty:
            click.echo("Data exists already; demo not loaded.")
            _print_logins()  # make run starts with this step: the logins on every start
            return
        if demo.loaded():
            _fail(click.ClickException("The demo data is loaded already."))
        clash = _demo_clash()
        if clash:
            _fail(click.ClickException(f"Cannot load the demo: {clash} exists already."))
    try:
        demo.load()
    except DomainError as exc:
        _fail(exc)
    click.echo("Demo data loaded.")
    _print_logins()


def _demo_clash():
    """An existing slug or email the demo would need (checked first: load() commits as it goes)."""
    slug = db.session.execute(select(Organisation.slug).where(
        Organisation.slug.in_([demo.ORG[1], demo.PARTNER[1]]))).scalar()
    if slug:
        return f"organisation {slug}"
    return db.session.execute(select(User.email).where(
        User.email.in_([email for email, _name, _role in demo.USERS]))).scalar()


def _print_logins():
    if not demo.loaded():
        return
    click.echo(f"Demo logins (password for all: {demo.PASSWORD}):")
    for email, name, role in demo.USERS:
        click.echo(f"  {email:32} {role:12} {name}")
    base = current_app.config["BASE_URL"].rstrip("/")
    click.echo("Public newsrooms (no login):")
    for org in db.session.scalars(select(Organisation).order_by(Organisation.name)):
        click.echo(f"  {base}/n/{org.slug}/")


@click.command("worker", help="Run the worker: sends due publications and email. With "
               "COMMSDESK_REDIS_URL set it serves the RQ queue and runs the clock that fills it.")
@click.option("--once", is_flag=True, help="One pass over what is due, then exit.")
@click.option("--no-clock", is_flag=True,
              help="With Redis: only run jobs (another worker's clock enqueues them).")
@with_appcontext
def worker(once, no_clock):
    app = current_app._get_current_object()
    if app.config["REDIS_URL"]:
        from . import queue

        if not once:
            click.echo(f"Worker on the RQ queue {app.config['RQ_QUEUE']!r}"
                       f"{'' if no_clock else ' with the clock'}; Ctrl-C stops it.")
        queue.run_worker(app, burst=once, clock=not no_clock)
        return
    if once:
        click.echo(jobs.run_once())
        return
    click.echo("Worker running; Ctrl-C stops it.")
    stop = threading.Event()
    # SIGTERM (honcho, systemd, a container stop) finishes the row being sent, then stops.
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    jobs.run_forever(app, app.config["WORKER_POLL_SECONDS"], stop)


@click.group("publications", help="Inspect the outbox; retry or cancel a publication.")
def publications():
    pass


@publications.command("list", help="List publications, newest first.")
@click.option("--state", type=click.Choice(PUBLICATION_STATES), default=None)
@click.option("--org", "org_slug", default=None, help="Slug of the organisation.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 10_000))
@with_appcontext
def publications_list(state, org_slug, limit):
    org_id = None
    if org_slug:
        try:
            org_id = people.get_organisation(org_slug).id
        except DomainError as exc:
            _fail(exc)
    for row in publishing_actions.find(state, org_id, limit):
        due = row.due_at.strftime("%Y-%m-%d %H:%M:%SZ")
        detail = row.url or row.last_error or ""
        click.echo(f"{row.id}\t{row.state}\t{due}\t{row.channel.name}\t"
                   f"doc {row.document_id}: {row.payload.get('title', '')}\t"
                   f"attempts {row.attempts}\t{' '.join(detail.split())[:200]}")


@publications.command("retry", help="Queue a failed or uncertain publication again, due now.")
@click.argument("publication_id", type=int)
@with_appcontext
def publications_retry(publication_id):
    try:
        row = publishing_actions.retry(None, publishing_actions.get_any(publication_id))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Publication {row.id} is queued again.")


@publications.command("cancel", help="Cancel a publication that has not gone out.")
@click.argument("publication_id", type=int)
@with_appcontext
def publications_cancel(publication_id):
    try:
        row = publishing_actions.cancel(None, publishing_actions.get_any(publication_id))
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Publication {row.id} is cancelled.")


@click.group("channels", help="Channel settings that belong to the operator.")
def channels_group():
    pass


@channels_group.command("rotate-key", help="Re-encrypt channel credentials with the first key "
                        "in COMMSDESK_CREDENTIALS_KEY (after adding a new key in front).")
@with_appcontext
def channels_rotate_key():
    count = publishing_channels.rotate_credentials()
    click.echo(f"Re-encrypted the credentials of {count} channel(s).")


@click.command("serve", help="Serve the app with the embedded worker (for local use).")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host, port):
    app = current_app._get_current_object()
    thread = threading.Thread(target=jobs.run_forever,
                              args=(app, app.config["WORKER_POLL_SECONDS"]), daemon=True)
    thread.start()
    _print_logins()
    click.echo(f"commsdesk on http://{host}:{port}/ (with the worker); Ctrl-C stops it.")
    run_simple(host, port, app, use_reloader=False, threaded=True)


def init_app(app):
    from .cli_newsletters import newsletters
    from .search.cli import search_group

    for command in (orgs, users, tokens, demo_command, worker, publications, channels_group,
                    serve, newsletters, search_group):
        app.cli.add_command(command)
