"""Importing members from a file: upload (nothing written but the pending import), column
mapping guessed from the header, a checked preview, and on confirmation one transaction of
bulk inserts. Suppressed addresses are never subscribed again; every rejected row is in a
report with its reason. 100,000 rows take seconds: plain rows, sets and executemany."""
import csv
import functools
import hashlib
import io
import operator
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from .. import audit
from ..access import get_or_404
from ..errors import ValidationError
from ..extensions import db
from ..models import TOPICS, Member, MemberImport, utcnow
from . import reading
from .exporting import neutralise
from .members import FIELD_LIMITS, require_steward, split_tags
from .suppression import suppressed_hashes

FIELDS = ("name", "email", "phone", "branch", "tags", "member_since", "consent")
# Header words (lower-case, without spaces, dashes or underscores) and the field they mean.
HEADER_WORDS = {
    "name": ("namn", "name", "fullname", "fulltnamn", "medlem", "member"),
    "email": ("epost", "email", "mail", "epostadress", "emailaddress", "mejl", "mejladress"),
    "phone": ("telefon", "phone", "tel", "mobil", "mobile", "telefonnummer", "phonenumber"),
    "branch": ("kommun", "lokalavdelning", "branch", "avdelning", "krets", "municipality",
               "förening", "forening"),
    "tags": ("taggar", "tags", "tagg", "tag", "etiketter", "intressen"),
    "member_since": ("medlemsedan", "membersince", "medlemsdatum", "joined", "startdatum"),
    "consent": ("samtycke", "consent", "godkännande"),
}
NO_WORDS = {"nej", "no", "n", "0", "false", "falskt", "nej tack"}
YES_WORDS = {"ja", "yes", "j", "y", "1", "true", "sant", "x"}
# A cell that starts a formula (a phone number may start with + or -, so those are let in;
# the export neutralises them).
FORMULA = re.compile(r"(?:^|\x1f)[=@]")
PROGRESS_EVERY = 10_000
CHUNK = 5_000
# A running import records progress every PROGRESS_EVERY rows (well under a second each);
# one that has not moved for this long lost its thread (the server restarted).
STALLED_AFTER = timedelta(minutes=5)


class _Suppressed:
    def __str__(self):
        return _("unsubscribed earlier (suppressed): not subscribed again")


SUPPRESSED = _Suppressed()


def guess_mapping(header, header_words=None):
    """{column index as text: field} for the header cells that name a known field (of
    HEADER_WORDS, or of the importer's own `header_words`)."""
    mapping, taken = {}, set()
    for index, cell in enumerate(header):
        word = "".join(ch for ch in cell.lower() if ch not in " -_.")
        for name, words in (header_words or HEADER_WORDS).items():
            if word in words and name not in taken:
                mapping[str(index)] = name
                taken.add(name)
    return mapping


def unknown_columns(header, mapping):
    """Header cells no field is mapped to (they are not imported)."""
    return [cell or f"#{i + 1}" for i, cell in enumerate(header) if str(i) not in mapping]


def clean_mapping(raw, width):
    """A mapping from a form: known fields only, each at most once, columns in range."""
    mapping, taken = {}, set()
    for key, name in (raw or {}).items():
        if name in FIELDS and name not in taken and key.isdigit() and int(key) < width:
            mapping[key] = name
            taken.add(name)
    if "email" not in taken:
        raise ValidationError(_("Choose the column with the email addresses."))
    return mapping


@dataclass
class Checked:
    accepted: list = field(default_factory=list)  # dicts of member values
    rejected: list = field(default_factory=list)  # (row number, reason, cells)
    suppressed: int = 0


# An ASCII dot-atom local part, which email-validator accepts whenever the domain is valid;
# anything else (quoted, Unicode) goes through email-validator whole.
SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")


@functools.lru_cache(maxsize=4096)
def _valid_domain(domain):
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def valid_email(address):
    """email-validator's verdict on the syntax (no DNS). A file has few distinct domains, so
    each domain is checked once and a plain local part by pattern: 100,000 rows in a second."""
    local, at, domain = address.rpartition("@")
    if at and len(address) <= 254 and len(local) <= 64 and SIMPLE_LOCAL.match(local):
        return _valid_domain(domain)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _split_tags(text):
    return tuple(split_tags(text))


def _tags(text):
    return list(_split_tags(text)) if text else []


@functools.lru_cache(maxsize=4096)
def _date(text):
    return date.fromisoformat(text[:10]) if text else None


def _check_row(values, seen, existing, suppressed):
    """(member values, None) or (None, reason) for one mapped row."""
    if FORMULA.search("\x1f".join(values.values())):
        return None, _("a cell looks like a spreadsheet formula")
    email = values.get("email", "").strip().lower()
    if not email:
        return None, _("no email address")
    if not valid_email(email):
        return None, _("not a valid email address")
    if hashlib.sha256(email.encode("utf-8")).hexdigest() in suppressed:
        return None, SUPPRESSED
    if email in seen:
        return None, _("the address appears earlier in the file (row %(row)d)", row=seen[email])
    if email in existing:
        return None, _("already a member")
    for key, limit in FIELD_LIMITS.items():
        if len(values.get(key, "")) > limit:
            return None, _("%(field)s is too long", field=key)
    if values.get("consent", "").strip().lower() in NO_WORDS:
        return None, _("no consent")
    try:
        since = _date(values.get("member_since", "").strip())
    except ValueError:
        return None, _("member since is not a date (YYYY-MM-DD)")
    consent = values.get("consent", "").strip()
    return {"name": values.get("name", "").strip(), "email": email,
            "phone": values.get("phone", "").strip() or None,
            "branch": values.get("branch", "").strip() or None,
            "tags": _tags(values.get("tags", "")), "member_since": since,
            "consent_text": None if consent.lower() in YES_WORDS else (consent or None)}, None


def check(organisation_id, table, mapping, progress=None):
    """Every row checked against the file so far, the members and the suppression list."""
    columns = [(int(k), name) for k, name in mapping.items()]
    existing = set(db.session.execute(select(Member.email).where(
        Member.organisation_id == organisation_id)).scalars())
    suppressed = suppressed_hashes(organisation_id)
    result, seen = Checked(), {}
    for number, row in enumerate(table.rows, start=2):  # row 1 is the header
        values = {name: (row[i] if i < len(row) else "") for i, name in columns}
        member, reason = _check_row(values, seen, existing, suppressed)
        if member is None:
            result.suppressed += reason is SUPPRESSED
            result.rejected.append((number, str(reason), row))
        else:
            seen[member["email"]] = number
            result.accepted.append(member)
        if progress and number % PROGRESS_EVERY == 0:
            progress(number - 1)
    return result


def report_csv(table, rejected):
    """The rejected rows with their reasons as CSV text (formulas neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Reason"), *table.header])
    for number, reason, row in rejected:
        writer.writerow([number, reason, *(neutralise(cell) for cell in row)])
    return out.getvalue()


# --- the pending import -------------------------------------------------------------------

def upload(user, filename, data):
    """Read the file (ImportRefused if it cannot be) and keep it as a pending import."""
    require_steward(user)
    filename = (filename or "members.csv").replace("/", "_").replace("\\", "_")[-200:]
    table = reading.read(filename, data)
    job = MemberImport(organisation_id=user.organisation_id, created_by_id=user.id,
                       filename=filename, content=data, mapping=guess_mapping(table.header),
                       total=len(table.rows), state="uploaded")
    db.session.add(job)
    db.session.commit()
    return job, table


def get_import(user, import_id):
    """An import of the user's organisation; NotFound otherwise."""
    require_steward(user)
    return get_or_404(MemberImport, import_id,
                      MemberImport.organisation_id == user.organisation_id,
                      message=_("No such import."))


def table_of(job):
    """The pending import's file read again."""
    return reading.read(job.filename, job.content or b"")


def set_mapping(user, job, raw, table):
    """Keep the mapping chosen on the preview page."""
    require_steward(user)
    if job.state != "uploaded":
        raise ValidationError(_("This import has already been confirmed."))
    job.mapping = clean_mapping(raw, len(table.header))
    db.session.commit()


def drop(user, job):
    """Cancel a pending import: the file is forgotten, nothing was written."""
    require_steward(user)
    if job.state == "uploaded":
        job.state, job.content = "dropped", None
        db.session.commit()


def confirm(user, job):
    """Start the confirmed import (in a thread; inline when testing)."""
    require_steward(user)
    if job.state != "uploaded":
        raise ValidationError(_("This import has already been confirmed."))
    if "email" not in (job.mapping or {}).values():
        raise ValidationError(_("Choose the column with the email addresses."))
    job.state, job.done, job.progress_at = "running", 0, utcnow()
    db.session.commit()
    app = current_app._get_current_object()
    if app.testing or app.config.get("IMPORT_INLINE"):
        run(job.id, user.id)
        return
    thread = threading.Thread(target=_run_in_app, args=(app, job.id, user.id), daemon=True)
    thread.start()


def _run_in_app(app, job_id, user_id):
    with app.app_context():
        run(job_id, user_id)
        db.session.remove()


def _progress(job_id):
    def record(done):
        db.session.execute(update(MemberImport).where(MemberImport.id == job_id)
                           .values(done=done, progress_at=utcnow()))
        db.session.commit()
    return record


def run(job_id, user_id):
    """Check and write the import in one transaction; on any failure nothing is written."""
    job = db.session.get(MemberImport, job_id)
    try:
        table = table_of(job)
        checked = check(job.organisation_id, table, job.mapping, _progress(job_id))
        _write(job, checked, user_id)
        job.report = report_csv(table, checked.rejected) if checked.rejected else None
        job.imported, job.rejected = len(checked.accepted), len(checked.rejected)
        job.suppressed, job.done = checked.suppressed, job.total
        job.state, job.content, job.finished_at = "finished", None, utcnow()
        db.session.commit()
    except Exception as exc:  # nothing of the import stays; the page says why
        db.session.rollback()
        job = db.session.get(MemberImport, job_id)
        message = exc.message if isinstance(exc, ValidationError) else \
            _("The import failed and nothing was written.")
        job.state, job.content, job.error = "failed", None, message
        job.finished_at = utcnow()
        db.session.commit()
        if not isinstance(exc, ValidationError):
            current_app.logger.exception("member import %s failed", job_id)


def _write(job, checked, user_id):
    now = utcnow()
    constants = {"organisation_id": job.organisation_id, "state": "subscribed",
                 "topics": list(TOPICS), "consent_source": f"import {job.filename}"[:200],
                 "consent_at": now, "soft_bounces": 0, "created_at": now, "updated_at": now}
    bulk_insert(Member.__table__, constants, checked.accepted)
    from ..models import User

    audit.record(db.session.get(User, user_id), "members.imported", job,
                 organisation_id=job.organisation_id, filename=job.filename,
                 imported=len(checked.accepted), rejected=len(checked.rejected),
                 suppressed=checked.suppressed)


def bulk_insert(table, constants, rows):
    """Insert rows (dicts) with the same constant columns through the driver's executemany,
    in the current transaction. Each column's bind processing (JSON, dates, UTC times) runs
    once per distinct value instead of once per row, which is most of the cost at 100,000."""
    if not rows:
        return
    conn = db.session.connection()
    dialect = conn.dialect
    keys = list(constants) + [k for k in rows[0] if k not in constants]
    compiled = table.insert().compile(dialect=dialect, column_keys=keys)
    order = list(compiled.positiontup) if compiled.positional else keys
    processors = {key: table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
                  for key in keys}
    fixed = {k: processors[k](v) if processors[k] else v for k, v in constants.items()}
    memo = {key: {} for key in keys}

    def value(key, raw):
        process = processors[key]
        if process is None or raw is None:
            return raw
        marker = tuple(raw) if isinstance(raw, list) else raw
        cache = memo[key]
        if marker not in cache:
            cache[marker] = process(raw)
        return cache[marker]
    processed = [k for k in keys if k not in fixed and processors[k] is not None]
    pick = operator.itemgetter(*order)
    for start in range(0, len(rows), CHUNK):
        params = []
        for row in rows[start:start + CHUNK]:
            values = dict(fixed)
            values.update(row)
            for key in processed:
                values[key] = value(key, values[key])
            params.append(pick(values) if compiled.positional else values)
        conn.exec_driver_sql(compiled.string, params)


def _stalled(now):
    cutoff = now - STALLED_AFTER
    return and_(MemberImport.state == "running", or_(
        MemberImport.progress_at < cutoff,
        and_(MemberImport.progress_at.is_(None), MemberImport.created_at < cutoff)))


def fail_stalled(now=None, import_id=None):
    """Mark running imports that stopped moving as failed; how many. The import is one
    transaction, so a dead thread wrote nothing and the user simply starts again."""
    now = now or utcnow()
    where = [_stalled(now)] + ([MemberImport.id == import_id] if import_id else [])
    stalled = db.session.execute(select(MemberImport).where(*where)).scalars().all()
    for job in stalled:
        job.state, job.content, job.finished_at = "failed", None, now
        job.error = _("The server stopped during the import; nothing was written. "
                      "Start it again.")
    if stalled:
        db.session.commit()
    return len(stalled)


def progress(job, now=None):
    """The import's state for the progress page's polling (a stalled import fails here)."""
    if job.state == "running" and fail_stalled(now, job.id):
        db.session.refresh(job)
    percent = 100 if job.state == "finished" else (
        int(job.done * 100 / job.total) if job.total else 0)
    return {"state": job.state, "total": job.total, "done": job.done,
            "percent": min(percent, 99) if job.state == "running" else percent,
            "imported": job.imported, "rejected": job.rejected,
            "suppressed": job.suppressed, "error": job.error}
