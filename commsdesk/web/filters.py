"""Template filters and labels."""
import re
from datetime import datetime

from flask_babel import format_datetime, to_user_timezone
from flask_babel import lazy_gettext as _l

from .. import kinds, workflow
from ..access import ADMIN, APPROVER, CONTRIBUTOR, EDITOR
from ..models import utcnow
from ..times import DATETIME_FORMATS

STATES = workflow.STATE_LABELS
ROLE_LABELS = {ADMIN: _l("Admin"), EDITOR: _l("Editor"), APPROVER: _l("Approver"),
               CONTRIBUTOR: _l("Contributor")}
FIELD_LABELS = {"title": _l("Title"), "lead": _l("Lead"), "body": _l("Body")}
# Fields kinds no longer have, still in old revisions (diffs name them).
LEGACY_FIELD_LABELS = {"signatories": _l("Signatories")}
# Why the system moved a document, as recorded in the audit log (codes, shown translated).
REASON_LABELS = {
    "edited after approval": _l("changed after approval"),
    "approvals required changed": _l("the organisations that must approve changed"),
    "approval_expired": _l("Approval expired"),
}
# Notes the system writes on a revision, stored in English and shown in the reader's language.
AUTO_NOTES = (
    (re.compile(r"Restored from revision (?P<n>\d+)"), _l("Restored from revision %(n)d")),
    (re.compile(r"Suggestion by (?P<name>.+) accepted"), _l("Suggestion by %(name)s accepted")),
)


def localtime(value, fmt="short"):
    """A UTC datetime in the user's zone and language, in an unambiguous form; one near
    datetime's limits (stored before dates were bounded) in plain UTC rather than an error."""
    if not value:
        return ""
    try:
        return format_datetime(value, DATETIME_FORMATS.get(fmt, fmt))
    except (OverflowError, ValueError):
        return value.strftime("%Y-%m-%d %H:%M UTC")


def reason_label(reason):
    """The reason the system gave for a workflow step, in the reader's language."""
    return REASON_LABELS.get(reason, reason) if isinstance(reason, str) else reason


def revision_note(note):
    """A revision's note; one the system wrote is shown in the reader's language."""
    for pattern, label in AUTO_NOTES:
        match = pattern.fullmatch(note or "")
        if match:
            values = match.groupdict()
            if "n" in values:
                values["n"] = int(values["n"])
            return label % values
    return note or ""


def kind_fields(kind_key, content):
    """(name, value, type) of the kind's non-empty fields in a revision's content, in kind
    order (type as the kind declares it: text, textarea, datetime, int, lines)."""
    kind = kinds.get_kind(kind_key)
    values = content.get("fields") or {}
    return [(s.name, values[s.name], s.type) for s in (kind.fields if kind else ())
            if values.get(s.name) not in (None, "")]


def local_input(value):
    """A UTC datetime as the value of a datetime-local input in the user's zone."""
    if not value:
        return ""
    try:
        return to_user_timezone(value).strftime("%Y-%m-%dT%H:%M")
    except (OverflowError, ValueError):
        return value.strftime("%Y-%m-%dT%H:%M")


def parse_iso(value):
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def field_label(kind_key, name):
    """Label for a content field name such as 'body', 'fields.outlet' or 'variants.x'."""
    group, _sep, key = name.partition(".")
    if group == "variants":
        return kinds.PLATFORMS[key].label if key in kinds.PLATFORMS else key
    if group == "fields" or (not key and name not in FIELD_LABELS):
        key = key or name
        kind = kinds.get_kind(kind_key)
        for spec in kind.fields if kind else ():
            if spec.name == key:
                return spec.label
        return LEGACY_FIELD_LABELS.get(key, key)
    return FIELD_LABELS.get(name, name)


def init_app(app):
    app.jinja_env.filters.update(localtime=localtime, local_input=local_input, parse_iso=parse_iso)
    app.jinja_env.globals.update(
        STATES=STATES, state_label=lambda s: STATES.get(s, s),
        role_label=lambda r: ROLE_LABELS.get(r, r), field_label=field_label, now_utc=utcnow,
        action_label=workflow.action_label, reason_label=reason_label,
        revision_note=revision_note, kind_fields=kind_fields,
    )
