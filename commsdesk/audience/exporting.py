"""Exporting members (all, or a segment's) as CSV that is safe to open in a spreadsheet:
a cell that would start a formula gets a leading apostrophe. Every export is audited."""
import csv
import io

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Member
from .members import require_steward
from .segments import matcher

# Cells a spreadsheet reads as a formula (or as a command through DDE) when they start so.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("name", "email", "phone", "branch", "tags", "state", "topics", "member_since",
           "consent_source", "consent_at", "confirmed_at")


def neutralise(value):
    """The cell as text, with a leading apostrophe if it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value):
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def export_members(user, segment=None):
    """(file name, CSV text) of the organisation's members or of one segment's; audited."""
    require_steward(user)
    columns = [getattr(Member, name) for name in COLUMNS]
    rows = db.session.execute(select(*columns, Member.branch, Member.tags, Member.state,
                                     Member.member_since).where(
        Member.organisation_id == user.organisation_id).order_by(Member.name, Member.id)).all()
    if segment is not None:
        test = matcher(segment.filters or {})
        rows = [row for row in rows if test(*row[len(COLUMNS):])]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(_cell(value)) for value in row[:len(COLUMNS)]])
    audit.record(user, "members.exported", segment, organisation_id=user.organisation_id,
                 rows=len(rows), segment=segment.name if segment else None)
    db.session.commit()
    name = f"members-{segment.id}.csv" if segment else "members.csv"
    return name, out.getvalue()
