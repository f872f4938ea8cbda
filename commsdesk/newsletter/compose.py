"""A document's approved revision as an email: subject, HTML and plain text, built once per
send with placeholders that `personalise` fills per recipient cheaply.

The HTML is the party's branded single-column layout (templates/email/newsletter.html) with
its CSS inlined (css-inline), so mail programs that drop <style> still lay it out; the text
part carries the same links. Placeholders are `{{ name }}` with a name from PLACEHOLDERS;
the sender supplies their values for each recipient (HTML-escaped in the HTML part),
`recipient_values` gives them all."""
import re
import secrets
from dataclasses import dataclass, field
from html import escape

import css_inline
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import branding
from ..audience import settings as mail_settings
from ..audience import unsubscribe
from . import meetings, parts, tracking

# greeting_name: the recipient's first name or "" (the greeting then reads "Hej!");
# unsubscribe_url and preferences_url: their signed links (audience.unsubscribe.links);
# archive_url: the web version (build fills it in already; a value given is not needed);
# rsvp_yes_url / rsvp_no_url: a meeting notice's signed answers (meetings.rsvp_links).
PLACEHOLDERS = ("greeting_name", "unsubscribe_url", "preferences_url", "archive_url",
                "rsvp_yes_url", "rsvp_no_url")
_NAMES = "|".join(PLACEHOLDERS)
# A section {{# name }}...{{/ name }} stays when the value is not empty, {{^ name }}...
# {{/ name }} when it is (so an empty name greets "Hej!", not "Hej ,"); one pass for both.
PLACEHOLDER_RE = re.compile(r"\{\{([#^]) (" + _NAMES + r") \}\}(.*?)\{\{/ \2 \}\}"
                            r"|\{\{ (" + _NAMES + r") \}\}", re.DOTALL)
# css-inline keeps a <style data-css-inline="keep"> (the phone-width media query) and
# inlines everything else; nothing is fetched from the network.
INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)
KINDS_WITH_NAME_GREETING = ("newsletter", "meeting_notice", "meeting_reminder",
                            "meeting_update", "test")


@dataclass
class Composed:
    subject: str
    html: str
    text: str
    # Extra MIME parts: {"filename", "content_type", "data" (str)} e.g. a meeting's .ics.
    attachments: list = field(default_factory=list)


def placeholder(name):
    """The placeholder text for a name of PLACEHOLDERS, as it stands in a template."""
    return "{{ " + name + " }}"


def build(doc, revision, kind="newsletter"):
    """The message for a send of this revision (kind: a MAILING_KINDS value)."""
    org = doc.organisation
    brand = branding.brand(org)
    with force_locale(brand.locale):
        message = parts.message_parts(doc, revision, kind, brand)
        track = tracking.new_token(doc) if mail_settings.get(org).tracking else None
        html = _html(doc, kind, brand, message, track)
        text = _text(kind, message)
    return Composed(subject=message.subject, html=html, text=text,
                    attachments=message.attachments)


def _greeting_template(kind):
    """The greeting with the recipient's first name, or without a name when there is none
    (and always without for journalists)."""
    if kind not in KINDS_WITH_NAME_GREETING:
        return _("Hello,")
    name = placeholder("greeting_name")
    return ("{{# greeting_name }}" + _("Hello %(name)s,", name=name) + "{{/ greeting_name }}"
            "{{^ greeting_name }}" + _("Hello!") + "{{/ greeting_name }}")


def _html(doc, kind, brand, message, track):
    body_html = message.body_html
    if track:
        body_html = tracking.wrap_links(body_html, track)
    html = current_app.jinja_env.get_template("email/newsletter.html").render(
        brand=brand, logo_url=_absolute(brand.logo_url), message=message, body_html=body_html,
        greeting=_greeting_template(kind), why=parts.why(kind, brand),
        archive_url=tracking.wrap(message.archive_url, track) if track else message.archive_url,
        ph=_template_placeholders(),
        pixel=tracking.pixel_url(track) if track else None, lang=brand.locale)
    return INLINER.inline(html)


def _template_placeholders():
    names = {name: placeholder(name) for name in PLACEHOLDERS}
    # The answer buttons show only when the sender gives the recipient's links.
    return {**names, "rsvp_begin": "{{# rsvp_yes_url }}", "rsvp_end": "{{/ rsvp_yes_url }}"}


def _text(kind, message):
    greeting = _greeting_template(kind)
    lines = [greeting, "", *message.body_text_lines]
    if message.rsvp:
        lines += ["", "{{# rsvp_yes_url }}" + _("Will you come?"),
                  _("Yes, I will come: %(url)s", url=placeholder("rsvp_yes_url")),
                  _("No, I cannot come: %(url)s", url=placeholder("rsvp_no_url"))
                  + "{{/ rsvp_yes_url }}"]
    lines += ["", "-- ", message.why_text]
    if message.archive_url:
        lines.append(_("Read it in your browser: %(url)s", url=message.archive_url))
    lines.append(_("Unsubscribe: %(url)s", url=placeholder("unsubscribe_url")))
    lines.append(_("Your email preferences: %(url)s", url=placeholder("preferences_url")))
    return "\n".join(lines) + "\n"


def _absolute(path):
    if not path:
        return None
    return current_app.config["BASE_URL"].rstrip("/") + path


def first_name(name):
    """The first word of a name (for the greeting), or ""."""
    return (name or "").strip().split(" ")[0] if name else ""


def recipient_values(mailing, email, name="", member_id=None, links=None):
    """Every placeholder's value for one recipient of a mailing (the sender's helper; it
    passes the recipient's unsubscribe `links` when it has them already)."""
    links = links or unsubscribe.links(mailing.organisation_id, email)
    values = {"greeting_name": first_name(name), "unsubscribe_url": links["unsubscribe_url"],
              "preferences_url": links["preferences_url"]}
    if mailing.kind in meetings.MEETING_KINDS and mailing.document_id:
        values.update(meetings.rsvp_links(mailing.document_id, email, member_id))
    return values


def personalise(template, values, html=False):
    """The template with each placeholder replaced by its value (escaped when `html`) and
    each section kept or dropped by whether its value is empty."""
    if html:
        values = {key: escape(value or "") for key, value in values.items()}

    def fill(match):
        if match.group(4):
            return values.get(match.group(4)) or ""
        shown = bool(values.get(match.group(2))) == (match.group(1) == "#")
        return PLACEHOLDER_RE.sub(fill, match.group(3)) if shown else ""

    return PLACEHOLDER_RE.sub(fill, template)


def sample_values(user_name, doc=None):
    """Placeholder values for a preview or a test send: the viewer's name, harmless links."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return {"greeting_name": first_name(user_name),
            "unsubscribe_url": f"{base}/u/sample-{secrets.token_hex(4)}",
            "preferences_url": f"{base}/u/sample/preferences",
            "rsvp_yes_url": f"{base}/r/sample?answer=yes",
            "rsvp_no_url": f"{base}/r/sample?answer=no"}
