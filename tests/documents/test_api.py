"""Documents and revisions through /api/v1: the happy paths, concurrency, roles and tenancy."""
import pytest
from conftest import api_as, make_document, make_org, make_user, share
from sqlalchemy import func, select

from commsdesk.extensions import db
from commsdesk.models import Document, Revision


def revision_count(doc_id):
    return db.session.scalar(select(func.count()).where(Revision.document_id == doc_id))


def stored(doc_id):
    """The document as the database has it now."""
    db.session.expire_all()
    return db.session.get(Document, doc_id)


@pytest.fixture
def api(editor):
    return api_as(editor)


def create(api, **payload):
    response = api.post("/documents", json={"kind": "press_release", "title": "Rubrik",
                                            **payload})
    assert response.status_code == 201, response.get_json()
    return response


# --- create and read ---------------------------------------------------------------------

def test_create_returns_document_location_and_etag(api, editor):
    response = create(api, lead="Ingress", body="Brödtext om **skolan**.",
                      fields={"contact": "Press, 070-000 00 00",
                              "embargo": "2030-05-01T08:00"},
                      tags=["Skola", "skola", " Budget "], deadline="2030-05-02T12:00:00Z")
    data = response.get_json()
    assert response.headers["Location"] == f"/api/v1/documents/{data['id']}"
    assert response.headers["ETag"] == f'"{data["current_revision"]["id"]}"'
    assert data["kind"] == "press_release" and data["state"] == "draft"
    assert data["owner"] == {"id": editor.id, "name": editor.name}
    assert data["content"]["title"] == "Rubrik" and data["content"]["lead"] == "Ingress"
    assert data["content"]["fields"]["contact"] == "Press, 070-000 00 00"
    # A time without an offset is the organisation's (Stockholm, summer time: UTC+2).
    assert data["content"]["fields"]["embargo"] == "2030-05-01T06:00:00+00:00"
    assert sorted(data["tags"]) == ["Budget", "Skola"]
    assert data["deadline"] == "2030-05-02T12:00:00+00:00"
    assert data["stats"]["words"] == 4 and data["warnings"] == []
    assert data["current_revision"]["number"] == 1
    assert revision_count(data["id"]) == 1


def test_create_minimal_and_every_kind(api):
    for kind in ("press_release", "op_ed", "letter", "newsletter", "web_article",
                 "social_post"):
        response = api.post("/documents", json={"kind": kind, "title": f"En {kind}"})
        assert response.status_code == 201, (kind, response.get_json())
        content = response.get_json()["content"]
        assert content["body"] == "" and content["lead"] == ""
        assert ("variants" in content) == (kind == "social_post")


def test_social_post_variants_and_limit_warnings(api):
    response = create(api, kind="social_post", variants={"x": "a" * 281, "bluesky": "Hej"})
    data = response.get_json()
    assert data["content"]["variants"]["bluesky"] == "Hej"
    assert data["content"]["variants"]["mastodon"] == ""
    assert {"field": "variants.x", "limit": 280, "used": 281} in data["warnings"]


def test_read_document(api):
    doc_id = create(api, body="Text").get_json()["id"]
    response = api.get(f"/documents/{doc_id}")
    assert response.status_code == 200
    assert response.get_json()["content"]["body"] == "Text"
    assert response.headers["ETag"] == f'"{stored(doc_id).current_revision_id}"'


def test_any_role_of_the_organisation_reads(org, editor):
    doc = make_document(editor, title="Läsbar")
    for role in ("admin", "approver", "contributor"):
        response = api_as(make_user(org, role)).get(f"/documents/{doc.id}")
        assert response.status_code == 200 and response.get_json()["title"] == "Läsbar"


# --- update, ETag and If-Match ----------------------------------------------------------

def test_etag_if_match_round_trip(api):
    doc_id = create(api, body="Ett").get_json()["id"]
    etag = api.get(f"/documents/{doc_id}").headers["ETag"]
    response = api.patch(f"/documents/{doc_id}", json={"body": "Två", "note": "kortare"},
                         etag=etag)
    assert response.status_code == 200
    data = response.get_json()
    assert data["content"]["body"] == "Två" and data["content"]["title"] == "Rubrik"
    assert data["current_revision"]["number"] == 2
    new_etag = response.headers["ETag"]
    assert new_etag != etag and new_etag == f'"{data["current_revision"]["id"]}"'
    assert api.get(f"/documents/{doc_id}").headers["ETag"] == new_etag
    # The new ETag works for the next change; weak and unquoted forms are accepted too.
    assert api.patch(f"/documents/{doc_id}", json={"body": "Tre"},
                     etag="W/" + new_etag).status_code == 200
    etag = api.get(f"/documents/{doc_id}").headers["ETag"]
    assert api.patch(f"/documents/{doc_id}", json={"body": "Fyra"},
                     etag=etag.strip('"')).status_code == 200
    assert revision_count(doc_id) == 4
    assert stored(doc_id).current_revision.note == ""
    assert api.get(f"/documents/{doc_id}/revisions").get_json()["items"][-2]["note"] == "kortare"


def test_stale_update_is_409_and_changes_nothing(org, editor):
    first, second = api_as(editor), api_as(make_user(org, "approver"))
    doc_id = create(first, body="Original", tags=["a"]).get_json()["id"]
    etag = first.get(f"/documents/{doc_id}").headers["ETag"]
    assert second.patch(f"/documents/{doc_id}", json={"body": "Andras"},
                        etag=etag).status_code == 200
    current = stored(doc_id).current_revision_id

    for payload in ({"body": "Mitt"}, {"tags": ["b"]}, {"deadline": "2031-01-01T00:00Z"}):
        response = first.patch(f"/documents/{doc_id}", json=payload, etag=etag)
        assert response.status_code == 409
        error = response.get_json()["error"]
        assert error["current_revision_id"] == current
        assert "newer revision" in error["message"]
    doc = stored(doc_id)
    assert revision_count(doc_id) == 2
    assert doc.current_revision.content["body"] == "Andras"
    assert [t.name for t in doc.tags] == ["a"] and doc.deadline is None


def test_unchanged_content_makes_no_revision(api):
    response = create(api, body="Samma")
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    again = api.patch(f"/documents/{doc_id}", json={"body": "Samma"}, etag=etag)
    assert again.status_code == 200 and again.headers["ETag"] == etag
    assert revision_count(doc_id) == 1


def test_patch_merges_fields_and_keeps_what_is_not_sent(api):
    response = create(api, lead="Ingress", fields={"contact": "Anna", "embargo": "2030-01-01"})
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    response = api.patch(f"/documents/{doc_id}", json={"fields": {"contact": "Bo"}}, etag=etag)
    content = response.get_json()["content"]
    assert content["fields"] == {"contact": "Bo", "embargo": "2029-12-31T23:00:00+00:00"}
    assert content["lead"] == "Ingress" and content["title"] == "Rubrik"


def test_metadata_update_makes_no_revision(api, org):
    colleague = make_user(org, "contributor")
    response = create(api, tags=["gammal"])
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    response = api.patch(f"/documents/{doc_id}", etag=etag, json={
        "tags": ["ny", "Nyare"], "deadline": "2030-03-01T09:00", "owner_id": colleague.id})
    assert response.status_code == 200
    data = response.get_json()
    assert data["tags"] == ["Nyare", "ny"] and data["owner"]["id"] == colleague.id
    assert data["deadline"] == "2030-03-01T08:00:00+00:00"  # Stockholm winter time, UTC+1
    assert response.headers["ETag"] == etag and revision_count(doc_id) == 1
    cleared = api.patch(f"/documents/{doc_id}", json={"tags": [], "deadline": None}, etag=etag)
    assert cleared.get_json()["tags"] == [] and cleared.get_json()["deadline"] is None


def test_content_and_metadata_in_one_request(api):
    response = create(api)
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    data = api.patch(f"/documents/{doc_id}", json={"title": "Ny rubrik", "tags": ["x"]},
                     etag=etag).get_json()
    assert data["title"] == "Ny rubrik" and data["tags"] == ["x"]
    assert stored(doc_id).title == "Ny rubrik"


def test_refused_update_changes_nothing(api):
    """A request that fails validation late (tags) must not have saved its content first."""
    response = create(api, body="Före")
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    bad = api.patch(f"/documents/{doc_id}", json={"body": "Efter", "tags": 5}, etag=etag)
    assert bad.status_code == 422
    bad = api.patch(f"/documents/{doc_id}", json={"body": "Efter", "deadline": "snart"},
                    etag=etag)
    assert bad.status_code == 422
    bad = api.patch(f"/documents/{doc_id}", json={"tags": ["ny"], "title": ""}, etag=etag)
    assert bad.status_code == 422
    doc = stored(doc_id)
    assert revision_count(doc_id) == 1 and doc.current_revision.content["body"] == "Före"
    assert doc.tags == []


# --- mass assignment and roles ------------------------------------------------------------

FORBIDDEN_FIELDS = {"id": 9999, "organisation_id": 9999, "current_revision": 1,
                    "current_revision_id": 1, "search_text": "x",
                    "created_at": "2000-01-01T00:00:00Z"}
# Workflow facts set through a body are refused outright (403), not ignored.
CRAFTED = [{"state": "published"}, {"approvals": [{"user_id": 1}]},
           {"owner": {"id": 1}}, {"approval": {"organisation_id": 1}}]


@pytest.mark.parametrize("crafted", CRAFTED)
def test_crafted_workflow_fields_are_403_and_change_nothing(api, crafted):
    response = create(api)
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    before = api.get(f"/documents/{doc_id}").get_json()
    response = api.patch(f"/documents/{doc_id}", etag=etag, json={"body": "Ny", **crafted})
    assert response.status_code == 403
    assert api.get(f"/documents/{doc_id}").get_json() == before
    assert revision_count(doc_id) == 1
    response = api.post("/documents", json={"kind": "letter", "title": "T", **crafted})
    assert response.status_code == 403


def test_create_ignores_fields_nobody_may_set(editor):
    other = make_org("annan")
    response = create(api_as(editor), **{**FORBIDDEN_FIELDS, "organisation_id": other.id})
    data = response.get_json()
    doc = stored(data["id"])
    assert data["state"] == "draft" and data["id"] != 9999
    assert doc.organisation_id == editor.organisation_id and doc.state == "draft"
    assert data["created_at"] > "2001"


def test_update_ignores_fields_nobody_may_set(api, editor):
    other = make_org("annan")
    response = create(api)
    doc_id, etag = response.get_json()["id"], response.headers["ETag"]
    before = api.get(f"/documents/{doc_id}").get_json()
    response = api.patch(f"/documents/{doc_id}", etag=etag,
                         json={**FORBIDDEN_FIELDS, "organisation_id": other.id})
    assert response.status_code == 200
    assert response.get_json() == before
    doc = stored(doc_id)
    assert doc.state == "draft" and doc.organisation_id == editor.organisation_id
    assert revision_count(doc_id) == 1


def test_contributor_cannot_set_owner(org, editor):
    contributor = make_user(org, "contributor")
    api = api_as(contributor)
    response = create(api, owner_id=editor.id)
    data = response.get_json()
    assert data["owner"]["id"] == contributor.id
    response = api.patch(f"/documents/{data['id']}", json={"owner_id": editor.id},
                         etag=response.headers["ETag"])
    assert response.status_code == 200 and response.get_json()["owner"]["id"] == contributor.id
    # Not even a malformed owner_id is looked at: it is simply not theirs to set.
    assert create(api, owner_id="nonsense").get_json()["owner"]["id"] == contributor.id


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_admin_and_editor_assign_owner_in_own_organisation(org, role):
    api = api_as(make_user(org, role))
    colleague = make_user(org, "contributor")
    assert create(api, owner_id=colleague.id).get_json()["owner"]["id"] == colleague.id


def test_approver_cannot_reassign(org, editor):
    doc = make_document(editor)
    response = api_as(make_user(org, "approver")).patch(
        f"/documents/{doc.id}", json={"owner_id": make_user(org, "contributor").id},
        etag=f'"{doc.current_revision_id}"')
    assert response.status_code == 200 and stored(doc.id).owner_id == editor.id


def test_owner_from_another_organisation_is_422(api, editor):
    stranger = make_user(make_org("annan"), "contributor")
    response = api.post("/documents", json={"kind": "letter", "title": "T",
                                            "owner_id": stranger.id})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "owner_id"
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    doc = make_document(editor)
    response = api.patch(f"/documents/{doc.id}", json={"owner_id": stranger.id, "body": "Ny"},
                         etag=f'"{doc.current_revision_id}"')
    assert response.status_code == 422
    assert stored(doc.id).owner_id == editor.id and revision_count(doc.id) == 1


def test_contributor_edits_only_own_documents(org, editor):
    contributor = make_user(org, "contributor")
    api = api_as(contributor)
    theirs = make_document(editor, body="Redaktörens")
    response = api.patch(f"/documents/{theirs.id}", json={"body": "Ändrad"},
                         etag=f'"{theirs.current_revision_id}"')
    assert response.status_code == 403
    assert response.get_json()["error"]["status"] == 403
    assert stored(theirs.id).current_revision.content["body"] == "Redaktörens"
    # Metadata alone is refused too, even without If-Match.
    assert api.patch(f"/documents/{theirs.id}", json={"tags": ["x"]}).status_code == 403
    assert stored(theirs.id).tags == []
    own = create(api)
    response = api.patch(f"/documents/{own.get_json()['id']}", json={"body": "Min"},
                         etag=own.headers["ETag"])
    assert response.status_code == 200


def test_editor_and_approver_edit_any_document_of_the_organisation(org):
    doc = make_document(make_user(org, "contributor"))
    for role in ("editor", "approver", "admin"):
        api = api_as(make_user(org, role))
        etag = api.get(f"/documents/{doc.id}").headers["ETag"]
        response = api.patch(f"/documents/{doc.id}", json={"body": role}, etag=etag)
        assert response.status_code == 200, role
    assert revision_count(doc.id) == 4


# --- listing -------------------------------------------------------------------------------

def test_list_summaries_newest_first(api, editor):
    first = make_document(editor, title="Första")
    second = make_document(editor, title="Andra")
    data = api.get("/documents").get_json()
    assert data["total"] == 2 and data["page"] == 1 and data["per_page"] == 25
    assert [d["id"] for d in data["items"]] == [second.id, first.id]
    assert "content" not in data["items"][0]


def test_list_filters(org, editor):
    contributor = make_user(org, "contributor")
    api = api_as(editor)
    create(api, kind="op_ed", title="Skolan behöver mer", body="Lärare", tags=["skola"])
    create(api, kind="press_release", title="Budget", body="Pengar till skolan",
           tags=["budget"])
    create(api_as(contributor), kind="press_release", title="Vård", body="Sjukhus")

    def titles(query):
        response = api.get("/documents" + query)
        assert response.status_code == 200, response.get_json()
        return sorted(d["title"] for d in response.get_json()["items"])

    assert titles("?q=skolan") == ["Budget", "Skolan behöver mer"]
    assert titles("?q=SKOLAN+pengar") == ["Budget"]
    assert titles("?q=100%25") == [] and titles("?q=_") == []
    assert titles("?kind=op_ed") == ["Skolan behöver mer"]
    assert titles("?tag=budget") == ["Budget"]
    assert titles("?tag=saknas") == []
    assert titles(f"?owner={contributor.id}") == ["Vård"]
    assert titles("?state=draft") == ["Budget", "Skolan behöver mer", "Vård"]
    assert titles("?state=published") == []
    assert titles(f"?kind=press_release&owner={editor.id}") == ["Budget"]


def test_list_pagination(api, editor):
    ids = [make_document(editor, title=f"Dokument {n}").id for n in range(7)]
    seen = []
    for page in (1, 2, 3):
        data = api.get(f"/documents?per_page=3&page={page}").get_json()
        assert data["total"] == 7 and data["page"] == page and data["per_page"] == 3
        seen += [d["id"] for d in data["items"]]
    assert seen == list(reversed(ids))
    assert api.get("/documents?per_page=3&page=4").get_json()["items"] == []
    assert api.get("/documents?per_page=1000").get_json()["per_page"] == 100


# --- revisions and diff --------------------------------------------------------------------

def _three_revisions(api):
    response = create(api, body="Första stycket.", fields={"contact": "Anna"})
    doc_id = response.get_json()["id"]
    etag = response.headers["ETag"]
    etag = api.patch(f"/documents/{doc_id}", json={"body": "Första stycket.\nAndra."},
                     etag=etag).headers["ETag"]
    api.patch(f"/documents/{doc_id}", json={"title": "Ny", "fields": {"contact": "Bo"}},
              etag=etag)
    return doc_id


def test_revisions_list_and_read(api, editor):
    doc_id = _three_revisions(api)
    items = api.get(f"/documents/{doc_id}/revisions").get_json()["items"]
    assert [r["number"] for r in items] == [3, 2, 1]
    assert items[0]["parent_id"] == items[1]["id"] and items[2]["parent_id"] is None
    assert items[0]["author"] == {"id": editor.id, "name": editor.name}
    assert "content" not in items[0]
    first = api.get(f"/documents/{doc_id}/revisions/{items[2]['id']}")
    assert first.status_code == 200
    assert first.get_json()["content"]["body"] == "Första stycket."
    assert first.get_json()["content_hash"] == items[2]["content_hash"]


def test_diff_between_revisions(api):
    doc_id = _three_revisions(api)
    items = api.get(f"/documents/{doc_id}/revisions").get_json()["items"]
    newest, oldest = items[0], items[2]
    response = api.get(f"/documents/{doc_id}/diff?from={oldest['id']}&to={newest['id']}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["from"]["id"] == oldest["id"] and data["to"]["number"] == 3
    changes = {c["field"]: (c["old"], c["new"]) for c in data["changes"]}
    assert changes == {"title": ("Rubrik", "Ny"),
                       "body": ("Första stycket.", "Första stycket.\nAndra."),
                       "fields.contact": ("Anna", "Bo")}
    assert "-Rubrik" in data["unified"] and "+Andra." in data["unified"]
    same = api.get(f"/documents/{doc_id}/diff?from={newest['id']}&to={newest['id']}")
    assert same.get_json()["changes"] == [] and same.get_json()["unified"] == ""


def test_revision_of_another_document_is_404(api, editor):
    doc_id = _three_revisions(api)
    other = make_document(editor)
    rev = other.current_revision_id
    assert api.get(f"/documents/{doc_id}/revisions/{rev}").status_code == 404
    first = api.get(f"/documents/{doc_id}/revisions").get_json()["items"][0]["id"]
    assert api.get(f"/documents/{doc_id}/diff?from={rev}&to={first}").status_code == 404
    assert api.get(f"/documents/{doc_id}/diff?from={first}&to=999999").status_code == 404


# --- tenancy ---------------------------------------------------------------------------------

@pytest.fixture
def two_orgs(org, editor):
    """Org A (the default org) with two documents; an Api client for an admin of org B."""
    a_docs = [make_document(editor, title="A hemlig", body="hemligt"),
              make_document(editor, title="A annan")]
    org_b = make_org("bortre")
    b_admin = make_user(org_b, "admin")
    b_doc = make_document(b_admin, title="B egen", body="hemligt")
    return a_docs, b_doc, api_as(b_admin)


def test_other_organisation_cannot_see_or_list(two_orgs):
    a_docs, b_doc, api_b = two_orgs
    data = api_b.get("/documents").get_json()
    assert data["total"] == 1 and [d["id"] for d in data["items"]] == [b_doc.id]
    assert api_b.get("/documents?q=hemligt").get_json()["total"] == 1
    for doc in a_docs:
        for path in (f"/documents/{doc.id}", f"/documents/{doc.id}/revisions",
                     f"/documents/{doc.id}/revisions/{doc.current_revision_id}",
                     f"/documents/{doc.id}/diff?from={doc.current_revision_id}&to=1"):
            response = api_b.get(path)
            assert response.status_code == 404, path
            assert response.get_json()["error"]["message"]
            assert "hemlig" not in response.get_data(as_text=True)


def test_other_organisation_cannot_update(two_orgs):
    a_docs, _b_doc, api_b = two_orgs
    doc = a_docs[0]
    etag = f'"{doc.current_revision_id}"'
    for headers in ({"If-Match": etag}, {}):
        response = api_b.patch(f"/documents/{doc.id}", json={"body": "Kapad", "tags": ["x"]},
                               headers=headers)
        assert response.status_code == 404  # never 403: no hint that it exists
    assert revision_count(doc.id) == 1 and stored(doc.id).tags == []


def test_other_organisations_revision_is_not_a_base(two_orgs, editor):
    """If-Match naming a revision of another document (of another org) is 412, not 409."""
    a_docs, b_doc, _api_b = two_orgs
    response = api_as(editor).patch(f"/documents/{a_docs[0].id}", json={"body": "x"},
                                    etag=f'"{b_doc.current_revision_id}"')
    assert response.status_code == 412


def test_tags_are_per_organisation(two_orgs, editor):
    _a_docs, _b_doc, api_b = two_orgs
    create(api_b, tags=["delad"])
    assert api_as(editor).get("/documents?tag=delad").get_json()["total"] == 0


def test_text_of_a_published_document_is_409_with_its_state(api, editor):
    doc = make_document(editor, body="Publicerad")
    doc.state = "published"  # as the workflow leaves it; the API cannot set state
    db.session.commit()
    response = api.patch(f"/documents/{doc.id}", json={"body": "Ändrad"},
                         etag=f'"{doc.current_revision_id}"')
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["state"] == "published" and "current_revision_id" not in error
    assert revision_count(doc.id) == 1


def test_shared_document_is_readable_but_not_editable_by_the_partner(two_orgs, editor):
    a_docs, b_doc, api_b = two_orgs
    shared, private = a_docs
    share(shared, b_doc.organisation, by=editor)
    listed = api_b.get("/documents").get_json()
    assert sorted(d["id"] for d in listed["items"]) == sorted([shared.id, b_doc.id])
    assert listed["total"] == 2
    assert api_b.get(f"/documents/{shared.id}").status_code == 200
    assert api_b.get(f"/documents/{shared.id}/revisions").status_code == 200
    response = api_b.patch(f"/documents/{shared.id}", json={"body": "Partnerns"},
                           etag=f'"{shared.current_revision_id}"')
    assert response.status_code == 403  # visible, so no secret: but partners only suggest
    assert revision_count(shared.id) == 1
    assert api_b.get(f"/documents/{private.id}").status_code == 404
