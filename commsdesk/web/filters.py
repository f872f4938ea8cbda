"""Template filters and labels."""
from datetime import datetime

from flask_babel import format_datetime, to_user_timezone
from flask_babel import lazy_gettext as _l

from .. import kinds, workflow
from ..access import ADMIN, APPROVER, CONTRIBUTOR, EDITOR
from ..models import utcnow

STATES = workflow.STATE_LABELS
ROLE_LABELS = {ADMIN: _l("Admin"), EDITOR: _l("Editor"), APPROVER: _l("Approver"),
               CONTRIBUTOR: _l("Contributor")}
FIELD_LABELS = {"title": _l("Title"), "lead": _l("Lead"), "body": _l("Body")}
# Fields kinds no longer have, still in old revisions (diffs name them).
LEGACY_FIELD_LABELS = {"signatories": _l("Signatories")}


def localtime(value, fmt="short"):
    return format_datetime(value, fmt) if value else ""


def kind_fields(kind_key, content):
    """(name, value) of the kind's non-empty fields in a revision's content, in kind order."""
    kind = kinds.get_kind(kind_key)
    values = content.get("fields") or {}
    return [(s.name, values[s.name]) for s in (kind.fields if kind else ())
            if values.get(s.name) not in (None, "")]


def local_input(value):
    """A UTC datetime as the value of a datetime-local input in the user's zone."""
    if not value:
        return ""
    return to_user_timezone(value).strftime("%Y-%m-%dT%H:%M")


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
        action_label=workflow.action_label, kind_fields=kind_fields,
    )
