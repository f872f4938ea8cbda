"""OPML subscription lists: importing feeds from another reader (every <outline> with an
xmlUrl, however deeply nested; read with defusedxml, so entities and external references
are refused) and exporting the organisation's feeds as OPML 2.0."""
import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import gettext as _

from .. import audit
from ..errors import ValidationError
from ..extensions import db
from ..models import utcnow
from . import sources

MAX_OUTLINES = 1000


@dataclass
class Report:
    added: list = field(default_factory=list)     # names of the new sources
    skipped: list = field(default_factory=list)   # (address, reason in words)


def _outlines(data):
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(_("The file declares XML entities or a DTD, which are refused "
                                "for safety."), field="file") from None
    except ET.ParseError:
        raise ValidationError(_("The file is not an OPML file (it is not valid XML)."),
                              field="file") from None
    if root.tag.lower() != "opml":
        raise ValidationError(_("The file is not an OPML file."), field="file")
    found = [o for o in root.iter("outline") if (o.get("xmlUrl") or "").strip()]
    if len(found) > MAX_OUTLINES:
        raise ValidationError(_("The file lists more than %(count)d feeds; split it.",
                                count=MAX_OUTLINES), field="file")
    return found


def _add_one(user, outline, seen, report):
    url = outline.get("xmlUrl", "").strip()
    if url in seen:
        report.skipped.append((url, _("listed twice in the file")))
        return
    seen.add(url)
    try:
        url = sources.clean_url(url)
        name = sources.clean_name(outline.get("title") or outline.get("text") or "",
                             urlsplit(url).hostname)
        site = (outline.get("htmlUrl") or "").strip()
        if not site.startswith(("http://", "https://")) or len(site) > sources.MAX_URL:
            site = ""
        sources.create(user, url, name, "feed", 30, site)
    except ValidationError as exc:
        report.skipped.append((url, exc.message))
        return
    report.added.append(name)


def import_opml(user, data):
    """Follow the feeds of an OPML file (no network now: each is read at its first poll);
    a Report of what was added and what was skipped, and why. Audited; commits."""
    sources.require_manage(user)
    report = Report()
    seen = set()
    for outline in _outlines(data):
        _add_one(user, outline, seen, report)
    db.session.flush()
    audit.record(user, "sources.imported", None, organisation_id=user.organisation_id,
                 added=len(report.added), skipped=len(report.skipped))
    db.session.commit()
    return report


def export_opml(organisation):
    """The organisation's feeds as an OPML 2.0 document (bytes, UTF-8)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _("Sources of %(name)s", name=organisation.name)
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(utcnow())
    body = ET.SubElement(root, "body")
    for source in sources.for_organisation(organisation.id):
        if source.kind != "feed":
            continue
        attrs = {"type": "rss", "text": source.name, "title": source.name,
                 "xmlUrl": source.url}
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
