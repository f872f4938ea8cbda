"""The composed email: inlined branded HTML, preheader, links in both parts, escaping, the
greeting, press release embargo and contact."""
import re
from datetime import timedelta

from conftest import make_document

from commsdesk import branding
from commsdesk.newsletter import compose
from commsdesk.times import utcnow

from .conftest import newsletter

VALUES = {"greeting_name": "Anna", "unsubscribe_url": "https://x.test/u/abc",
          "preferences_url": "https://x.test/u/abc/preferences"}


def test_html_is_inlined_branded_and_carries_preheader_and_links(team):
    doc = newsletter(team["editor"])
    composed = compose.build(doc, doc.current_revision, "newsletter")
    brand = branding.brand(team["org"])
    html = compose.personalise(composed.html, VALUES, html=True)
    assert composed.subject == "Veckans nyheter"
    # Layout does not depend on a <style>: only the phone-width media query stays.
    assert re.findall(r"<style[^>]*>", html) == ['<style data-css-inline="keep">']
    assert f"background-color: {brand.primary}" in html and brand.accent in html
    assert 'max-width: 600px' in html and 'name="viewport"' in html
    assert "Det här hände" in html  # the hidden preheader
    assert "Hej Anna," in html  # the organisation's language: Swedish
    for url in VALUES.values():
        if url.startswith("https"):
            assert f'href="{url}"' in html
    assert f"/n/{team['org'].slug}/newsletters/{doc.id}-nytt-fran-oss" in html
    assert "https://example.org/a?b=1&amp;c=2" in html
    text = compose.personalise(composed.text, VALUES)
    assert "https://x.test/u/abc" in text and "https://x.test/u/abc/preferences" in text
    assert f"/newsletters/{doc.id}-" in text and "{{" not in text


def test_personalise_escapes_in_html_and_greets_without_name(team):
    doc = newsletter(team["editor"])
    composed = compose.build(doc, doc.current_revision, "newsletter")
    html = compose.personalise(composed.html, {**VALUES, "greeting_name": "<b>Eva</b>"},
                               html=True)
    assert "&lt;b&gt;Eva&lt;/b&gt;" in html and "<b>Eva</b>" not in html
    nameless = compose.personalise(composed.text, {**VALUES, "greeting_name": ""})
    assert nameless.startswith("Hej!\n")


def test_press_release_states_embargo_and_contact_and_greets_no_name(team):
    embargo = (utcnow() + timedelta(days=2)).replace(hour=9, minute=0, second=0,
                                                    microsecond=0)
    doc = make_document(team["editor"], kind="press_release", title="Ny förskola",
                        body="Text.", fields={"embargo": embargo.isoformat(),
                                              "contact": "Pressekreterare\n070-123 45 67"})
    composed = compose.build(doc, doc.current_revision, "press_release")
    assert composed.subject.startswith("EMBARGO t.o.m. ") and composed.subject.endswith(
        ": Ny förskola")
    assert "10:00" in composed.subject or "11:00" in composed.subject  # Stockholm time
    text = compose.personalise(composed.text, {**VALUES, "greeting_name": "Anna"})
    assert text.startswith("Hej,\n") and "Anna" not in text
    assert text.index("Under embargo till") < text.index("Text.")
    assert "070-123 45 67" in text and "070-123 45 67" in composed.html


def test_a_lifted_embargo_is_not_stated(team):
    doc = make_document(team["editor"], kind="press_release", title="Gammal",
                        fields={"embargo": (utcnow() - timedelta(days=1)).isoformat()})
    assert compose.build(doc, doc.current_revision, "press_release").subject == "Gammal"
