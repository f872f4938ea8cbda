"""Word forms for watch lists and search."""
from commsdesk import stemming


def test_a_swedish_word_finds_its_forms():
    terms = stemming.parse_terms(["förskola"])
    text = "Förskolan i Norra Älvstad får två nya förskolor; förskolornas kö växer."
    found = [text[s:e] for s, e, _t in stemming.find(text, terms)]
    assert found == ["Förskolan", "förskolor", "förskolornas"]


def test_a_norwegian_word_finds_its_forms():
    terms = stemming.parse_terms("barnehage", language="nb")
    text = "Barnehagen og to nye barnehager"
    assert len(stemming.find(text, terms, language="nb")) == 2


def test_a_quoted_phrase_matches_only_as_written():
    terms = stemming.parse_terms('"nya förskolor", budget')
    assert [(t.phrase, t.keys) for t in terms] == [(True, ("nya", "förskolor")),
                                                   (False, ("budget",))]
    assert stemming.find("Nya förskolor byggs", terms)
    assert not stemming.find("ny förskola byggs", terms[:1])


def test_highlight_escapes_and_marks():
    text = "<b>Förskolan</b> & skolan"
    spans = stemming.find(text, stemming.parse_terms("förskola"))
    assert str(stemming.highlight(text, spans)) == (
        "&lt;b&gt;<mark>Förskolan</mark>&lt;/b&gt; &amp; skolan")


def test_snippet_cuts_around_the_first_match():
    text = "ord " * 100 + "förskolan " + "ord " * 100
    spans = stemming.find(text, stemming.parse_terms("förskola"))
    out = str(stemming.snippet(text, spans, width=60))
    assert out.startswith("…") and out.endswith("…") and "<mark>förskolan</mark>" in out
