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


def localtime(value, fmt="short"):
    """A UTC datetime in the user's zone and language; one near datetime's limits (stored
    before dates were bounded) in plain UTC rather than an error page."""
    if not value:
        return ""
    try:
        return format_datetime(value, fmt)
    except (OverflowError, ValueError):
        return value.strftime("%Y-%m-%d %H:%M UTC")


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
        return key
    return FIELD_LABELS.get(name, name)


def init_app(app):
    app.jinja_env.filters.update(localtime=localtime, local_input=local_input, parse_iso=parse_iso)
    app.jinja_env.globals.update(
        STATES=STATES, state_label=lambda s: STATES.get(s, s),
        role_label=lambda r: ROLE_LABELS.get(r, r), field_label=field_label, now_utc=utcnow,
        action_label=workflow.action_label,
    )
