"""Full-text search: word forms, ranking, snippets, hostile queries, tenancy, upkeep."""
import pytest
from conftest import make_document, make_org, make_user, share
from sqlalchemy import select

from commsdesk import documents, search
from commsdesk.extensions import db
from commsdesk.models import Source, search_index
from commsdesk.monitoring import items


def _source(org):
    source = Source(organisation_id=org.id, name="Lokaltidningen",
                    url="https://example.org/feed")
    db.session.add(source)
    db.session.flush()
    return source


def _store(org, *entries):
    new, _changed = items.store(_source(org), [items.Entry(**e) for e in entries])
    db.session.commit()
    return new


def _ids(user, q, **kwargs):
    return [(r.kind, r.id) for r in search.query(user, q, **kwargs).results]


def test_word_forms_find_each_other(editor):
    one = make_document(editor, title="Förskolan i Norr", body="Vi vill bygga mer.")
    two = make_document(editor, title="Budget", body="Fler förskolor behövs i byarna.")
    make_document(editor, title="Trafik", body="Bussarna går för sällan.")
    found = _ids(editor, "förskola")
    assert sorted(found) == sorted([("documents", one.id), ("documents", two.id)])
    assert _ids(editor, "förskolor") and _ids(editor, "FÖRSKOLAN")


def test_all_words_must_match_and_phrases_keep_order(editor):
    both = make_document(editor, title="Skolan", body="Nya lärare till skolan i Norr.")
    make_document(editor, title="Skolan", body="Nya bussar till Norr.")
    assert _ids(editor, "lärare norr") == [("documents", both.id)]
    assert _ids(editor, '"nya lärare"') == [("documents", both.id)]
    assert _ids(editor, '"lärare nya"') == []


def test_a_title_hit_ranks_above_a_body_hit(editor):
    body = make_document(editor, title="Om staden", body="Något om simhallen och mer text här.")
    title = make_document(editor, title="Simhallen", body="Något om staden och mer text här.")
    found = search.query(editor, "simhall").results
    assert [r.id for r in found] == [title.id, body.id]
    assert found[0].rank > found[1].rank


def test_snippets_are_highlighted_and_escaped(editor):
    make_document(editor, title="<b>Förskolor</b>",
                  body="Inledning. " * 30 + "Barnen på förskolan <script>x</script> leker.")
    result = search.query(editor, "förskola").results[0]
    assert "<mark>förskolan</mark>" in result.snippet
    assert "<script>" not in result.snippet and "&lt;script&gt;" in result.snippet
    assert result.title == "&lt;b&gt;<mark>Förskolor</mark>&lt;/b&gt;"


@pytest.mark.parametrize("q", [
    '"', '"""', 'förskola"', '* NEAR(a b)', "a:b", "-förskola", "(förskola", "förskola)",
    "AND OR NOT", "^", "x" * 10_000, "förskola " * 2_000, "", "   ", "\x00", "'; DROP", "_",
    "NEAR/3", "{title}: förskola", "🙂", "ǅ ß ﬁ",
])
def test_hostile_queries_answer_without_error(editor, q):
    make_document(editor, title="Förskolan", body="Text.")
    page = search.query(editor, q)
    assert page.total >= 0
    documents.list_documents(editor, q=q)


def test_other_organisations_find_nothing_and_partners_only_shared(editor):
    other = make_org("kusten")
    stranger = make_user(other, "editor")
    shared = make_document(editor, title="Förskolan delad", body="Text.")
    make_document(editor, title="Förskolan intern", body="Text.")
    share(shared, other)
    _store(editor.organisation,
           {"guid": "1", "title": "Förskolan byggs", "text": "Nyhet."})
    assert _ids(stranger, "förskola") == [("documents", shared.id)]
    assert _ids(editor, "förskola", kinds=("items",))
    assert _ids(stranger, "förskola", kinds=("items",)) == []
    outsider = make_user(make_org("fjallen"), "editor")
    assert _ids(outsider, "förskola") == []


def test_a_new_revision_replaces_the_indexed_text(editor):
    doc = make_document(editor, title="Rubrik", body="Om simhallen.")
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Om biblioteket."},
                            doc.current_revision_id)
    assert _ids(editor, "simhallen") == []
    assert _ids(editor, "biblioteket") == [("documents", doc.id)]
    assert db.session.execute(select(search_index.c.rowid)).scalars().all() == [doc.id * 2]


def test_items_are_searchable_after_store(editor):
    new = _store(editor.organisation,
                 {"guid": "a", "title": "Kommunen bygger", "text": "Nya förskolor i Norr."},
                 {"guid": "b", "title": "PDF", "kind": "pdf", "pages": ["Sida ett", "Kallelse"]})
    found = search.query(editor, "förskola").results
    assert [(r.kind, r.id) for r in found] == [("items", new[0].id)]
    assert found[0].source == "Lokaltidningen" and "<mark>förskolor</mark>" in found[0].snippet
    assert _ids(editor, "kallelse") == [("items", new[1].id)]


def test_reindex_rebuilds_everything(editor, runner):
    doc = make_document(editor, title="Simhallen", body="Text.")
    db.session.execute(search_index.delete())
    db.session.commit()
    assert _ids(editor, "simhallen") == []
    result = runner.invoke(args=["search", "reindex"])
    assert "Indexed 1 documents and 0 items" in result.output
    assert _ids(editor, "simhallen") == [("documents", doc.id)]


def test_paging_and_kinds(editor):
    made = [make_document(editor, title=f"Simhallen {n}", body="Text.") for n in range(5)]
    _store(editor.organisation, {"guid": "s", "title": "Simhallen stänger", "text": ""})
    page = search.query(editor, "simhallen", page=2, per_page=2)
    assert page.total == 6 and len(page.results) == 2
    docs = search.query(editor, "simhallen", kinds=("documents",))
    assert {r.id for r in docs.results} == {d.id for d in made}


def test_the_page(editor_client, editor):
    doc = make_document(editor, title="Förskolan i Norr", body="Barnen leker på förskolan.")
    html = editor_client.get("/search/?q=förskola").get_data(as_text=True)
    assert f"/documents/{doc.id}" in html and "<mark>förskolan</mark>" in html
    assert 'class="topsearch"' in html
    for q in ('"', "x" * 10_000, ""):
        assert editor_client.get("/search/", query_string={"q": q, "kind": "items"}) \
            .status_code == 200


def test_the_api(editor):
    from conftest import api_as

    doc = make_document(editor, title="Förskolan i Norr", body="Barnen leker på förskolan.")
    api = api_as(editor)
    body = api.get("/search?q=förskolor").get_json()
    assert body["total"] == 1
    result = body["results"][0]
    assert (result["kind"], result["id"]) == ("documents", doc.id)
    assert "<mark>" in result["snippet"] and result["url"].endswith(f"/documents/{doc.id}")
    assert api.get("/search?q=" + "%22" * 5000 + "&kind=items").status_code == 200
    assert api.get("/search?kind=bogus&q=x").status_code == 422


def test_the_document_list_finds_word_forms(editor, editor_client):
    doc = make_document(editor, title="Förskolan i Norr", body="Text.")
    make_document(editor, title="Bussar", body="Text.")
    listed, total = documents.list_documents(editor, q="förskolor")
    assert total == 1 and listed[0].id == doc.id
    html = editor_client.get("/documents?q=förskola").get_data(as_text=True)
    assert "Förskolan i Norr" in html and "Bussar" not in html
