"""Matching items against watch lists: word forms, phrases, PDF pages, organisations."""
from conftest import make_org, make_user
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import ItemMatch
from monitoring_watch.world import news, pdf, set_setting, source, store, watch_list


def _matches(item):
    return db.session.execute(select(ItemMatch).where(ItemMatch.item_id == item.id)
                              .order_by(ItemMatch.page, ItemMatch.term)).scalars().all()


def test_a_word_finds_its_swedish_forms(app):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Skola och förskola", "förskola")
    src = source(org)
    (definite, plural, other), _ = store(src, news("Förskolan i Bergsjön stänger"),
                                         news("Nytt", "Tre nya förskolor byggs i år."),
                                         news("Skolan får ny rektor"))
    assert [m.term for m in _matches(definite)] == ["förskola"]
    assert [m.term for m in _matches(plural)] == ["förskola"]
    assert _matches(other) == []
    snippet = _matches(plural)[0].snippet
    assert "förskolor" in snippet and "<mark>" not in snippet and len(snippet) <= 170


def test_a_norwegian_organisation_matches_norwegian_forms(app):
    org = make_org("venstre")
    set_setting(org, "brand.locale", "nb")
    editor = make_user(org)
    watch_list(editor, "Oppvekst", "barnehage")
    (item,), _ = store(source(org), news("Barnehagen på Tøyen stenger"))
    assert [m.term for m in _matches(item)] == ["barnehage"]


def test_a_quoted_phrase_matches_exactly(app):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Bygget", '"nya skolan", simhall')
    (exact, forms, apart), _ = store(source(org), news("Den nya skolan invigs"),
                                     news("Nya skolor planeras"),
                                     news("Skolan är nya", "Simhallen stänger."))
    assert [m.term for m in _matches(exact)] == ["nya skolan"]
    assert _matches(forms) == []
    assert [m.term for m in _matches(apart)] == ["simhall"]


def test_a_pdf_match_names_its_page_and_follows_a_changed_pdf(app):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Skola och förskola", "förskola")
    src = source(org, "https://kommun.example/handlingar", "Kommunfullmäktige")
    pages = ["Kallelse", "Ärende 1: budget", "Ärende 2: ny förskola i Kortedala"]
    (item,), _ = store(src, pdf("Kallelse kommunfullmäktige 2026-12-01", pages))
    assert [(m.term, m.page) for m in _matches(item)] == [("förskola", 3)]
    _, (changed,) = store(src, pdf("Kallelse kommunfullmäktige 2026-12-01",
                                   ["Kallelse", "Förskolan flyttas", "Övrigt"], "b"))
    assert changed.id == item.id
    assert [(m.term, m.page) for m in _matches(item)] == [("förskola", 2)]


def test_an_unchanged_match_of_a_changed_pdf_is_kept(app):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Skola", "förskola")
    src = source(org, "https://kommun.example/handlingar", "Kommunfullmäktige")
    (item,), _ = store(src, pdf("Kallelse", ["förskola"]))
    first = _matches(item)[0].id
    store(src, pdf("Kallelse", ["förskola", "bilaga"], "b"))
    assert [m.id for m in _matches(item)] == [first]


def test_another_organisations_lists_never_match(app):
    org, other = make_org("mitten"), make_org("grona")
    watch_list(make_user(other), "Deras", "förskola")
    (item,), _ = store(source(org), news("Förskolan i Bergsjön"))
    assert _matches(item) == []
    mine = watch_list(make_user(org), "Vår", "förskola")
    (second,), _ = store(source(org, "https://b.example/rss"), news("Förskolor i Angered"))
    assert {m.watch_list_id for m in _matches(second)} == {mine.id}


def test_a_paused_list_finds_nothing(app):
    org = make_org("mitten")
    editor = make_user(org)
    wl = watch_list(editor, "Skola", "förskola")
    wl.active = False
    db.session.commit()
    (item,), _ = store(source(org), news("Förskolan"))
    assert _matches(item) == []
