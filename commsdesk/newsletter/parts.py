"""What an email says for each kind of send, before it is laid out: subject, preheader, the
notices above the text (an embargo, a meeting's time and place), the body, the lines below
it (a press contact) and why the recipient gets it. Called by compose.build in the
organisation's language."""
from dataclasses import dataclass, field
from datetime import datetime

from babel.dates import format_datetime
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from ..rendering import render_markdown
from ..times import organisation_zone, utcnow

SHORT_FORMAT = "d MMM HH:mm"
LONG_FORMAT = "d MMM yyyy HH:mm"
MEETING_KINDS = ("meeting_notice", "meeting_reminder", "meeting_update")


@dataclass
class Message:
    subject: str
    title: str
    preheader: str
    body_html: Markup
    body_text_lines: list
    notices: list = field(default_factory=list)  # (heading, text) shown above the body
    footer_lines: list = field(default_factory=list)  # shown below the body (a contact)
    archive_url: str | None = None
    why_text: str = ""
    rsvp: bool = False
    attachments: list = field(default_factory=list)


def when(moment, doc, locale):
    """A moment as people read it in the organisation's zone and language ("27 nov 10:00"),
    with the year when it is not this year."""
    zone = organisation_zone(doc)
    pattern = SHORT_FORMAT if moment.astimezone(zone).year == utcnow().astimezone(zone).year \
        else LONG_FORMAT
    return format_datetime(moment, pattern, tzinfo=zone, locale=locale)


def _moment(value):
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def flat(content):
    """A revision's content with its kind's fields beside title, lead and body."""
    content = content or {}
    return {**content, **(content.get("fields") or {})}


def _markdown_parts(content):
    source = "\n\n".join(part for part in (content.get("lead"), content.get("body")) if part)
    return Markup(render_markdown(source)), source.splitlines()


def why(kind, brand):
    """Why the recipient gets this email, in one sentence."""
    if kind == "press_release":
        return _("You receive this press release because you are on %(name)s's press list.",
                 name=brand.name)
    if kind in MEETING_KINDS:
        return _("You receive this notice because you are a member of %(name)s.",
                 name=brand.name)
    return _("You receive this newsletter because you subscribed to news from %(name)s.",
             name=brand.name)


def message_parts(doc, revision, kind, brand):
    """The Message of this kind for a revision of the document."""
    content = flat(revision.content)
    title = content.get("title") or ""
    body_html, body_lines = _markdown_parts(content)
    message = Message(subject=content.get("subject") or title, title=title,
                      preheader=content.get("preheader") or content.get("lead") or "",
                      body_html=body_html, body_text_lines=body_lines,
                      why_text=why(kind, brand))
    if kind == "press_release":
        _press_release(message, doc, content, brand)
    elif kind in MEETING_KINDS:
        from . import meetings

        meetings.add_to_message(message, doc, revision, kind, brand)
    else:
        message.archive_url = archive_url(doc)
    message.preheader = " ".join(message.preheader.split())[:250]
    return message


def _press_release(message, doc, content, brand):
    embargo = _moment(content.get("embargo"))
    if embargo and embargo > utcnow():
        moment = when(embargo, doc, brand.locale)
        message.subject = _("EMBARGO until %(time)s: %(title)s", time=moment,
                            title=message.title)
        notice = _("Embargoed until %(time)s. Not to be published before then.", time=moment)
        message.notices.append((_("EMBARGO"), notice))
        message.body_text_lines = [f"EMBARGO: {notice}", "", *message.body_text_lines]
    contact = (content.get("contact") or "").strip()
    if contact:
        message.footer_lines = [_("Contact:"), *contact.splitlines()]
        message.body_text_lines = [*message.body_text_lines, "", *message.footer_lines]


def archive_url(doc):
    """The newsletter's web version on the organisation's newsroom (absolute)."""
    from .archive import archive_path

    return current_app.config["BASE_URL"].rstrip("/") + archive_path(doc)
