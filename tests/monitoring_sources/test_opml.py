"""OPML: import (nested outlines, duplicates skipped with reasons, entities refused) and
export as OPML 2.0, round trip."""
import xml.etree.ElementTree as ET

import pytest
from conftest import make_org, make_user

from commsdesk.errors import ValidationError
from commsdesk.models import Source
from commsdesk.monitoring import opml, sources

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Från en annan läsare</title></head><body>
  <outline text="Nyheter">
    <outline text="Älvstads-Posten" type="rss" xmlUrl="https://posten.example/rss.xml"
             htmlUrl="https://posten.example/"/>
    <outline text="Lokalt">
      <outline title="Kommunen" text="k" type="rss" xmlUrl="https://kommun.example/atom"/>
    </outline>
  </outline>
  <outline text="Igen" type="rss" xmlUrl="https://posten.example/rss.xml"/>
  <outline text="Redan" type="rss" xmlUrl="https://redan.example/feed"/>
  <outline text="Fil" type="rss" xmlUrl="file:///etc/passwd"/>
  <outline text="Bara en rubrik"/>
</body></opml>"""


def test_import_then_export_round_trip(app, office):
    org, editor, _admin = office
    sources.create(editor, "https://redan.example/feed", "Redan", "feed", 30)
    report = opml.import_opml(editor, OPML.encode())
    assert report.added == ["Älvstads-Posten", "Kommunen"]
    reasons = dict(report.skipped)
    assert reasons["https://posten.example/rss.xml"] == "listed twice in the file"
    assert "already followed" in reasons["https://redan.example/feed"]
    assert "https://" in reasons["file:///etc/passwd"]
    exported = opml.export_opml(org)
    root = ET.fromstring(exported)
    assert root.get("version") == "2.0" and root.find("head/dateCreated").text
    outlines = {o.get("xmlUrl"): o for o in root.iter("outline")}
    assert set(outlines) == {"https://posten.example/rss.xml", "https://kommun.example/atom",
                             "https://redan.example/feed"}
    assert outlines["https://posten.example/rss.xml"].get("htmlUrl") == "https://posten.example/"
    # Into another organisation: the same feeds.
    other = make_user(make_org("grona"), "editor")
    assert len(opml.import_opml(other, exported).added) == 3


@pytest.mark.parametrize("data,words", [
    (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "b">]><opml><body/></opml>',
     "refused for safety"),
    (b"<opml><body><outline", "not valid XML"),
    (b"<rss/>", "not an OPML file"),
])
def test_unsafe_or_broken_files_are_refused(app, office, data, words):
    with pytest.raises(ValidationError, match=words):
        opml.import_opml(office[1], data)
    assert Source.query.count() == 0 if hasattr(Source, "query") else True
