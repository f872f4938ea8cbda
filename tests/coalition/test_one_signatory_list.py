"""One list of signatories: the document's signatories (per organisation, ordered by the
owner) are shown in the editor, on the document, in the preview and in the trail; op-eds and
letters have no "signatories" text field beside it, and the old field's text becomes the
list when the database is upgraded."""
import re

from conftest import api_as, login_as, make_document, share
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, update

from commsdesk import coalition, create_app, documents, kinds, people, previews, trail
from commsdesk.extensions import db
from commsdesk.models import Revision, Signatory

LEGACY = {"outlet": "Älvstads Tidning", "signatories": "Gammal Namnlista\nAndra Raden"}


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _op_ed(world):
    doc = make_document(world.editor, kind="op_ed", title="Debatt", body="Vi vill.",
                        fields={"outlet": "Älvstads Tidning"})
    share(doc, world.green)
    coalition.add_signatory(world.editor, doc, "Anna Andersson", "Partiledare")
    coalition.add_signatory(world.green_editor, doc, "Bo Berg", "Språkrör")
    return doc


def _set_content(doc, content):
    # Below the ORM, whose guard keeps revisions append-only: this makes old data.
    table = Revision.__table__
    db.session.connection().execute(
        update(table).where(table.c.id == doc.current_revision_id).values(content=content))


def _legacy_content(doc):
    """Give the current revision the old field, as revisions saved before the change have."""
    _set_content(doc, dict(doc.current_revision.content, fields=LEGACY))
    db.session.commit()
    db.session.expire_all()


def test_signed_kinds_have_no_signatories_field():
    for key in ("op_ed", "letter"):
        kind = kinds.get_kind(key)
        assert kind.signed
        assert "signatories" not in [f.name for f in kind.fields]


def test_a_signatories_field_sent_is_dropped(world):
    doc = make_document(world.editor, kind="op_ed", fields={"signatories": "X\nY"})
    assert "signatories" not in doc.current_revision.content["fields"]
    response = api_as(world.editor).post("/documents", json={
        "kind": "letter", "title": "Insändare", "fields": {"signatories": "Z"}})
    assert response.status_code == 201
    letter = db.session.get(documents.Document, response.get_json()["id"])
    assert "signatories" not in letter.current_revision.content["fields"]


def test_editor_shows_the_list_read_only_with_a_link_to_manage_it(app, world):
    doc = _op_ed(world)
    page = login_as(app, world.editor).get(f"/documents/{doc.id}/edit").get_data(as_text=True)
    section = page[page.index('class="field editor-signatories"'):]
    section = section[:section.index("</section>")]
    assert "Anna Andersson" in section and "Bo Berg" in section
    assert section.index("Anna Andersson") < section.index("Bo Berg")
    assert f'href="/documents/{doc.id}#coalition"' in section
    assert "<input" not in section and "<textarea" not in section
    assert 'name="fields-signatories"' not in page


def test_editor_of_an_unsigned_kind_without_signatories_has_no_list(app, world):
    page = login_as(app, world.editor).get(f"/documents/{world.doc.id}/edit")
    assert "editor-signatories" not in page.get_data(as_text=True)


def test_preview_link_shows_the_signatories_under_the_text(app, world):
    doc = _op_ed(world)
    _link, raw = previews.create_link(world.editor, doc, "Tidningen")
    text = _text(app.test_client().get(f"/p/{raw}"))
    assert text.index("Vi vill.") < text.index("Anna Andersson") < text.index("Bo Berg")


def test_old_field_text_is_not_shown_as_a_second_list(app, world):
    doc = _op_ed(world)
    _legacy_content(doc)
    client = login_as(app, world.editor)
    for url in (f"/documents/{doc.id}", f"/documents/{doc.id}/trail"):
        text = _text(client.get(url))
        assert "Anna Andersson" in text and "Gammal Namnlista" not in text, url
        assert "Älvstads Tidning" in text, url
    data = trail.trail(doc, world.editor)
    assert [f["name"] for f in data["final_text"]["fields"]] == ["outlet"]
    assert [s["name"] for s in data["signatories"]] == ["Anna Andersson", "Bo Berg"]
    # The revision keeps its content: its hash is what was approved.
    assert data["final_text"]["content"]["fields"]["signatories"] == LEGACY["signatories"]


def test_saving_a_legacy_revision_leaves_the_field_behind(world):
    doc = _op_ed(world)
    _legacy_content(doc)
    content = dict(doc.current_revision.content, body="Ny text.")
    revision, _created = documents.save(world.editor, doc, content, doc.current_revision_id)
    assert revision.content["fields"] == {"outlet": "Älvstads Tidning", "length_limit": "",
                                          "published_in": "", "published_url": ""}


def _upgrade_from_field(tmp_path, prepare):
    """A database at the newest version with data made by prepare(), taken back to the
    version before the signatories migration and upgraded again; its signatories."""
    other = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}",
                        "TESTING": True, "SECRET_KEY": "x", "PASSWORD_HASHER": "fast"})
    with other.app_context():
        upgrade()
        org = people.create_organisation("Mitten", "mitten")
        partner = people.create_organisation("Gröna", "gron")
        user = people.create_user("e@example.org", "E", "editor", org, password="x" * 12)
        ids = prepare(org, partner, user)
        org_id, partner_id = org.id, partner.id
        db.session.commit()
        downgrade(revision="7d0eb0bd0af8")
        upgrade()
        db.session.expire_all()
        rows = db.session.execute(select(Signatory).order_by(Signatory.document_id,
                                                             Signatory.position)).scalars()
        found = [(r.document_id, r.organisation_id, r.position, r.name, r.title) for r in rows]
        db.session.remove()
    return ids, org_id, partner_id, found


def test_upgrade_turns_the_field_text_into_signatories(tmp_path):
    def prepare(org, partner, user):
        legacy = documents.create_document(user, "op_ed", {"title": "A", "body": "B"})
        listed = documents.create_document(user, "op_ed", {"title": "C", "body": "D"})
        coalition.share(user, listed, partner)
        coalition.add_signatory(user, listed, "Redan Här")
        unsigned = documents.create_document(user, "press_release", {"title": "E"})
        for doc in (legacy, listed, unsigned):
            _set_content(doc, dict(doc.current_revision.content, fields={
                "signatories": " Eva Sjöberg (M), gruppledare \n\nJohan N"}))
        return legacy.id, listed.id

    (legacy, listed), org_id, _partner_id, found = _upgrade_from_field(tmp_path, prepare)
    assert found == [
        (legacy, org_id, 1, "Eva Sjöberg (M), gruppledare", ""),
        (legacy, org_id, 2, "Johan N", ""),
        (listed, org_id, 1, "Redan Här", ""),  # a document with a list keeps it as it is
    ]
