"""A document's approved revision as an email: subject, HTML and plain text, built once per
send with placeholders that `personalise` fills per recipient cheaply.

Placeholders are `{{ name }}` with a name from PLACEHOLDERS; the values are supplied by the
sender for each recipient (HTML-escaped in the HTML part)."""
import re
from dataclasses import dataclass, field
from html import escape

from ..rendering import render_markdown

# greeting_name: the recipient's first name or "" ; unsubscribe_url and preferences_url:
# their signed links (audience.tokens); archive_url: the web version.
PLACEHOLDERS = ("greeting_name", "unsubscribe_url", "preferences_url", "archive_url")
PLACEHOLDER_RE = re.compile(r"\{\{ (" + "|".join(PLACEHOLDERS) + r") \}\}")


@dataclass
class Composed:
    subject: str
    html: str
    text: str
    # Extra MIME parts: {"filename", "content_type", "data" (str)} e.g. a meeting's .ics.
    attachments: list = field(default_factory=list)


def build(doc, revision, kind="newsletter"):
    """The message for a send of this revision (kind: a MAILING_KINDS value)."""
    content = revision.content or {}
    subject = content.get("subject") or content.get("title") or ""
    body = content.get("body") or ""
    html = (f"<p>Hej{{{{ greeting_name }}}},</p>{render_markdown(body)}"
            '<p><a href="{{ unsubscribe_url }}">Avregistrera</a></p>')
    text = f"Hej{{{{ greeting_name }}}},\n\n{body}\n\nAvregistrera: {{{{ unsubscribe_url }}}}\n"
    return Composed(subject=subject, html=html, text=text)


def personalise(template, values, html=False):
    """The template with each placeholder replaced by its value (escaped when `html`)."""
    if html:
        values = {key: escape(value) for key, value in values.items()}
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), ""), template)
