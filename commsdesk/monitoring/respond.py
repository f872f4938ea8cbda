"""Respond: a draft answering a monitored item (a letter to the editor, an op-ed, a press
comment, a social post), quoting it and linked to it both ways (Document.source_item_id)."""
from babel.dates import format_date
from flask_babel import gettext as _

from .. import audit, documents
from ..documents import MAX_TITLE
from ..errors import ValidationError
from ..extensions import db
from ..models import Organisation
from ..times import organisation_zone
from . import triage, watch

KINDS = ("letter", "op_ed", "press_release", "social_post")
# The draft is the organisation's own text, so its words are in the organisation's language
# (its newsroom's), not the language of whoever clicked.
TITLE = {"sv": "Svar: {title}", "nb": "Svar: {title}", "en": "Reply: {title}"}
QUOTE_LINES = 6
QUOTE_CHARS = 600


def respond(user, item, kind):
    """A new draft of the kind answering the item: titled after it, its body quoting it (the
    first lines, the source, the date, the link), linked to it. Audited; returns the draft."""
    triage.require_monitor(user)
    if kind not in KINDS:
        raise ValidationError(_("Choose what to write: a letter to the editor, an op-ed, a "
                                "press comment or a social post."), field="kind")
    language = watch.language(item.organisation_id)
    title = TITLE.get(language, TITLE["en"]).format(title=str(item))
    doc = documents.create_document(user, kind, {"title": _cut(title, MAX_TITLE),
                                                 "body": quote(item, language)})
    doc.source_item_id = item.id
    audit.record(user, "item.responded", item, document_id=doc.id, kind=kind)
    db.session.commit()
    return doc


def quote(item, language="sv"):
    """The item as a Markdown blockquote: its first lines, then the source, date and link."""
    lines = [line.strip() for line in (item.text or "").splitlines() if line.strip()]
    text = _cut("\n".join(lines[:QUOTE_LINES]), QUOTE_CHARS) or str(item)
    quoted = [f"> {line}" for line in text.splitlines()]
    source = item.source.name if item.source else ""
    credit = ", ".join(part for part in (source, _date(item, language)) if part)
    if item.link:
        credit = f"{credit}: <{item.link}>" if credit else f"<{item.link}>"
    if credit:
        quoted += [">", f"> — {credit}"]
    return "\n".join(quoted) + "\n\n"


def _date(item, language):
    when = item.published_at or item.fetched_at
    if when is None:
        return ""
    zone = organisation_zone(db.session.get(Organisation, item.organisation_id))
    return format_date(when.astimezone(zone), "long", locale=language)


def _cut(text, limit):
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
