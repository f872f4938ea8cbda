"""Reading the municipality's meeting documents: new, changed, unchanged and broken PDFs
listed on one page, fetched from a local server."""
from commsdesk.extensions import db
from commsdesk.models import Item
from commsdesk.monitoring import fetching, items, meeting_documents

from .pdfs import make_encrypted_pdf, make_pdf

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Handlingar</title></head>
<body><h1>Kommunfullmäktige</h1><ul>
<li><a href="/docs/kallelse-kf-2026-11-24.pdf">Kallelse KF 24 november</a></li>
<li><a href="docs/handlingar%20KF.pdf"><span>Handlingar</span> KF</a></li>
<li><a href="/docs/protokoll-kf-2026-10-27.pdf">Protokoll KF 27 oktober</a></li>
<li><a href="/docs/trasig.pdf">Bilaga</a></li>
<li><a href="/visa?id=7" type="application/pdf">Budget 2027</a></li>
<li><a href="/om-kommunen">Om kommunen</a> <a href="mailto:kommun@alvstad.se">pdf</a></li>
</ul></body></html>"""


def _publish(site):
    site.page = PAGE
    site.files = {
        "/docs/kallelse-kf-2026-11-24.pdf": make_pdf(["Kallelse till kommunfullmäktige",
                                                      "Ärende 4: Förskolan i Västerby"]),
        "/docs/handlingar%20KF.pdf": make_pdf(["Handlingar: årsredovisning och önskemål"]),
        "/docs/protokoll-kf-2026-10-27.pdf": make_pdf(["Protokoll"]),
        "/docs/trasig.pdf": b"%PDF-1.4\nthis is not really a PDF \x00\x01\x02 at all",
        "/visa": make_pdf(["Budget för 2027"]),
    }


def _read(source, now=None):
    page = fetching.fetch(source.url, organisation_id=source.organisation_id)
    return meeting_documents.read(source, page, now)


def _store(source):
    result = _read(source)
    new, changed = items.store(source, result)
    db.session.commit()
    return result, new, changed


def test_the_pdf_links_of_a_page_in_page_order():
    links = meeting_documents.pdf_links(PAGE, "https://www.alvstad.se/kommun/handlingar")
    assert links == [
        ("https://www.alvstad.se/docs/kallelse-kf-2026-11-24.pdf", "Kallelse KF 24 november"),
        ("https://www.alvstad.se/kommun/docs/handlingar%20KF.pdf", "Handlingar KF"),
        ("https://www.alvstad.se/docs/protokoll-kf-2026-10-27.pdf", "Protokoll KF 27 oktober"),
        ("https://www.alvstad.se/docs/trasig.pdf", "Bilaga"),
        ("https://www.alvstad.se/visa?id=7", "Budget 2027")]
    nameless = meeting_documents.pdf_links('<a href="x/Kallelse%20KF.PDF#p2"> </a>',
                                           "https://a.example/")
    assert nameless == [("https://a.example/x/Kallelse%20KF.PDF", "Kallelse KF.PDF")]


def test_new_pdfs_are_read_page_by_page_and_a_broken_one_stops_nothing(source, site):
    _publish(site)
    result = _read(source)
    by_link = {entry.link.removeprefix(site.url): entry for entry in result}
    assert len(result) == 5 and result.tried == 5
    kallelse = by_link["/docs/kallelse-kf-2026-11-24.pdf"]
    assert kallelse.kind == "pdf" and kallelse.title == "Kallelse KF 24 november"
    assert "Förskolan i Västerby" in kallelse.pages[1]
    assert kallelse.text == "\n\n".join(kallelse.pages)
    assert "årsredovisning och önskemål" in by_link["/docs/handlingar%20KF.pdf"].text
    assert "Budget för 2027" in by_link["/visa?id=7"].text
    broken = by_link["/docs/trasig.pdf"]
    assert broken.pages == [] and broken.text == "" and broken.title == "Bilaga"
    assert broken.content_hash and "could not be read" in broken.summary_html
    assert result.problems == ["trasig.pdf (the file is damaged)"]
    assert result.problem_summary() == (
        "1 of 5 PDFs could not be read: trasig.pdf (the file is damaged)")


def test_stored_once_then_unchanged_pdfs_are_answered_304(source, site):
    _publish(site)
    _, new, _ = _store(source)
    assert len(new) == 5 and {row.kind for row in new} == {"pdf"}
    path = "/docs/protokoll-kf-2026-10-27.pdf"
    stored = db.session.query(Item).filter_by(link=site.url + path).one()
    assert stored.etag == site.etag(path)
    site.requests.clear()
    result, new, changed = _store(source)
    assert (list(result), new, changed) == ([], [], [])
    for path in ("/docs/kallelse-kf-2026-11-24.pdf", "/docs/protokoll-kf-2026-10-27.pdf"):
        [(headers, status, length)] = site.seen(path)
        assert headers["If-None-Match"] == site.etag(path)
        assert (status, length) == (304, 0)
    assert result.problems == []


def test_a_changed_pdf_under_the_same_link_is_read_again(source, site):
    _publish(site)
    _store(source)
    path = "/docs/kallelse-kf-2026-11-24.pdf"
    item = db.session.query(Item).filter_by(link=site.url + path).one()
    old_hash, item.state = item.content_hash, "archived"
    db.session.commit()
    site.files[path] = make_pdf(["Kallelse till kommunfullmäktige", "Ärende 4 utgår",
                                 "Extra ärende: nya förskolor i Bruksbacken"])
    _, new, changed = _store(source)
    assert new == [] and changed == [item]
    assert item.content_hash != old_hash and item.state == "new"
    assert "nya förskolor i Bruksbacken" in item.pages[2] and len(item.pages) == 3
    [(headers, status, _)] = site.seen(path)[-1:]
    assert status == 200 and headers["If-None-Match"]


def test_forskolan_on_page_37_of_40(source, site):
    pages = [f"Sida {n}: ärenden om gator, vatten och avlopp." for n in range(1, 41)]
    pages[36] = ("Sida 37: Barn- och utbildningsnämnden föreslår att förskolan i Norra "
                 "Älvstad byggs ut.")
    site.page = '<a href="/docs/kallelse.pdf">Kallelse</a>'
    site.files = {"/docs/kallelse.pdf": make_pdf(pages)}
    [entry] = _read(source)
    assert len(entry.pages) == 40
    assert "förskolan i Norra Älvstad" in entry.pages[36]
    assert all("förskolan" not in page for i, page in enumerate(entry.pages) if i != 36)


def test_at_most_a_poll_s_worth_of_pdfs_new_ones_first(source, site, monkeypatch):
    monkeypatch.setattr(meeting_documents, "MAX_FETCHES", 2)
    site.files = {f"/docs/{n}.pdf": make_pdf([f"Handling {n}"]) for n in range(4)}
    site.page = "".join(f'<a href="/docs/{n}.pdf">Handling {n}</a>' for n in range(4))
    assert [e.title for e in _store(source)[0]] == ["Handling 0", "Handling 1"]
    assert [e.title for e in _store(source)[0]] == ["Handling 2", "Handling 3"]
    site.requests.clear()
    assert list(_store(source)[0]) == []
    assert [p for p, *_ in site.requests] == ["/handlingar", "/docs/0.pdf", "/docs/1.pdf"]


def test_an_encrypted_or_missing_pdf_is_a_problem_not_a_failure(source, site):
    site.page = ('<a href="/docs/borta.pdf">Borta</a><a href="/docs/last.pdf">Låst</a>'
                 '<a href="/docs/ok.pdf">Ok</a>')
    site.files = {"/docs/ok.pdf": make_pdf(["Läsbar"]),
                  "/docs/last.pdf": make_encrypted_pdf(["Hemlig förskola"])}
    result = _read(source)
    assert [(e.title, e.pages) for e in result] == [("Låst", []), ("Ok", ["Läsbar\n"])]
    # (How a 404 is worded is the fetcher's business.)
    assert result.problems[0].startswith("borta.pdf (") and "404" in result.problems[0]
    assert result.problems[1] == "last.pdf (the file is protected with a password)"


def test_pages_past_the_cap_are_left_out_and_a_web_page_is_not_a_pdf(app):
    pages, problem = meeting_documents.extract_pages(make_pdf(["1", "2", "3"]), max_pages=2)
    assert (len(pages), problem) == (2, None)
    assert meeting_documents.extract_pages(b"<html>Kallelse</html>") == ([], "not a PDF file")
