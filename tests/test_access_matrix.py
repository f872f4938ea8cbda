"""The access matrix: every route and API endpoint, walked as each role of the owning
organisation, of a partner the document is shared with, and of an unrelated organisation.
Nothing leaks: what a user may not see answers 404 (never 403, never 500), and secret titles
never appear in any list, search, inbox, audit view or export."""
import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from conftest import login_as, make_document, make_org, make_user, share
from PIL import Image
from sqlalchemy import select

from commsdesk import channels as channel_registry
from commsdesk import (
    coalition,
    discussion,
    documents,
    media,
    outlets,
    people,
    previews,
    workflow,
)
from commsdesk.extensions import db
from commsdesk.models import ROLES, Delivery, Mailing, Notification, Submission, utcnow
from commsdesk.publishing import outbox

SHARED_TITLE = "Gemensam text ZX1"
PRIVATE_TITLE = "Hemlig text QY2"
# The newsrooms (/n/) are public and show only published texts (tests/newsroom); unsubscribe
# links (/u/) and bounce hooks (/hooks/) answer to a signed token or signature, not a login
# (tests/consent).
SKIP_PREFIXES = ("/assets/", "/admin/", "/invite/", "/p/", "/n/", "/calendar/feed/", "/login",
                 "/logout", "/u/", "/hooks/")
# Pages a partner must be able to use on a document shared with it.
PARTNER_PAGES = {
    "documents.show", "documents.history", "documents.compare", "documents.revision",
    "coalition.trail", "coalition.trail_json", "discussion.suggest",
    "api.get_document_view", "api.list_revisions", "api.get_revision", "api.diff_revisions",
    "api.get_workflow", "api.get_trail", "api.list_submissions",
}

# Routes whose argument names no organisation's object (a kind of channel): each user acts in
# their own organisation, so any answer but a server error is right here.
# The open counter answers its image to anyone (a bad token counts nothing).
UNSCOPED = {"channels.new", "email_public.opened"}


@dataclass
class Target:
    doc: object
    ids: dict = field(default_factory=dict)


@pytest.fixture
def world(app):
    owner, partner, stranger = make_org("mitten"), make_org("grona"), make_org("vanster")
    users = {(org.slug, role): make_user(org, role) for org in (owner, partner, stranger)
             for role in ROLES}
    editor = users[("mitten", "editor")]
    targets = {}
    for key, title in (("shared", SHARED_TITLE), ("private", PRIVATE_TITLE)):
        doc = make_document(editor, kind="op_ed", title=title, body="Första versionen.")
        first = doc.current_revision_id
        documents.save_revision(editor, doc, {"title": title, "body": "Andra versionen."}, first)
        if key == "shared":
            share(doc, partner)
        workflow.submit(editor, doc)
        author = users[("grona", "editor")] if key == "shared" else users[("mitten", "contributor")]
        comment = discussion.add_comment(author, doc, f"Kommentar om {title}")
        suggestion = discussion.create_suggestion(
            author, doc, {"title": title, "body": "Föreslagen text."}, doc.current_revision_id)
        signatory = coalition.add_signatory(editor, doc, "Eva Sjöberg", "gruppledare")
        link, _raw = previews.create_link(editor, doc, "Intervjuperson")
        image = media.upload(editor, f"{key}.png", _png(key), alt_text=title)
        media.attach(editor, doc, image.id)
        # Set-up only: a row in the outbox, queued as if scheduled (partners never see it).
        (publication,) = outbox.enqueue(editor, doc, [channel_registry.website_channel(owner)],
                                        utcnow() + timedelta(days=1))
        # Set-up only: an outlet and an open offer to it (the texts are not approved here).
        outlet = outlets.save(editor, {"name": f"Tidning {key}", "email": "d@t.example",
                                       "reply_days": 7})
        submission = Submission(
            organisation_id=owner.id, document_id=doc.id, revision_id=doc.current_revision_id,
            content_hash=doc.current_revision.content_hash, outlet_id=outlet.id,
            reply_by=utcnow() + timedelta(days=7), created_by_id=editor.id)
        db.session.add(submission)
        # Set-up only: a send-out by email with one recipient (another org's: 404).
        mailing = Mailing(organisation_id=owner.id, document_id=doc.id, subject=title,
                          audience={"all_members": True}, state="paused")
        db.session.add(mailing)
        db.session.flush()
        delivery = Delivery(mailing_id=mailing.id, email=f"{key}@m.example", state="uncertain",
                            message_id=f"<{key}@m.example>")
        db.session.add(delivery)
        db.session.commit()
        audience_ids = {**_audience(editor, key), **_monitoring(owner, editor, key)}
        targets[key] = Target(doc, {
            **audience_ids,
            "document_id": doc.id, "revision_id": first, "comment_id": comment.id,
            "suggestion_id": suggestion.id, "signatory_id": signatory.id, "link_id": link.id,
            "media_id": image.id, "name": "thumb",
            "slug": partner.slug, "org_slug": partner.slug, "action": "approve",
            "channel_id": channel_registry.website_channel(owner).id,
            "channel_type": "wordpress",
            "publication_id": publication.id,
            "outlet_id": outlet.id, "submission_id": submission.id, "token": "x",
            "mailing_id": mailing.id, "delivery_id": delivery.id,
        })
    notification = db.session.execute(
        select(Notification).where(Notification.user_id == users[("mitten", "approver")].id)
    ).scalars().first()
    assert notification is not None
    return {"users": users, "targets": targets, "notification_id": notification.id}


def _audience(editor, key):
    """Set-up only: a member, an import, a segment, a press contact and list of the owner."""
    from commsdesk.audience import importing, members, press, segments

    member = members.add(editor, {"email": f"medlem-{key}@example.se"})
    job, _table = importing.upload(editor, "m.csv", b"Namn;E-post\nEva;eva@example.se\n")
    contact = press.save_contact(editor, None, {"email": f"press-{key}@example.se"})
    return {"member_id": member.id, "import_id": job.id,
            "segment_id": segments.save(editor, None, f"Segment {key}", {}).id,
            "contact_id": contact.id,
            "press_list_id": press.save_list(editor, None, f"Lista {key}", [contact.id]).id}


def _monitoring(org, editor, key):
    """Set-up only: a source, an item with a note and a match, a watch list of the owner."""
    from commsdesk.models import Item, ItemMatch, ItemNote, Source, WatchList

    source = Source(organisation_id=org.id, name=f"Källa {key}", url=f"https://{key}.example/rss")
    watch_list = WatchList(organisation_id=org.id, name=f"Bevakning {key}", terms=["förskola"])
    db.session.add_all([source, watch_list])
    db.session.flush()
    item = Item(organisation_id=org.id, source_id=source.id, dedup_key=f"{key:0>64}",
                title=f"Nyhet {key}", link=f"https://{key}.example/n/1", text="Förskolan")
    db.session.add(item)
    db.session.flush()
    note = ItemNote(item_id=item.id, author_id=editor.id, body="Anteckning")
    db.session.add_all([note, ItemMatch(item_id=item.id, watch_list_id=watch_list.id,
                                        term="förskola", snippet="Förskolan")])
    db.session.commit()
    return {"source_id": source.id, "item_id": item.id, "note_id": note.id,
            "watch_list_id": watch_list.id}


def _png(key):
    """A small PNG, a different one per document (so each image belongs to one text)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red" if key == "shared" else "blue").save(out, "PNG")
    return out.getvalue()


def routes(app):
    """(endpoint, rule, method) for every route that names a document or a notification."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(SKIP_PREFIXES) or not rule.arguments:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule, method))
    return found


def call(client, token, csrf, method, url):
    if url.startswith("/api/"):
        return client.open(url, method=method, json={},
                           headers={"Authorization": f"Bearer {token}"})
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": csrf})


def build(rule, values):
    missing = rule.arguments - set(values)
    assert not missing, f"{rule.rule}: the access matrix does not know {missing}; add them"
    values = {k: values[k] for k in rule.arguments}
    if "action" in values and rule.rule.startswith("/documents/<int:document_id>/comments"):
        values["action"] = "resolve"
    return rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("org_slug", ["mitten", "grona", "vanster"])
@pytest.mark.parametrize("role", ROLES)
def test_every_route_as_every_role(app, client, world, org_slug, role):
    user = world["users"][(org_slug, role)]
    token = people.issue_token(user)
    login_as(client, user)
    # One CSRF token for the walk: it holds for the whole signed-in session (asking the
    # login page for a fresh one before every POST doubled the walk's time).
    csrf = client.csrf_token()
    failures = []
    for endpoint, rule, method in sorted(routes(app), key=lambda r: (r[2] != "GET", r[1].rule)):
        for key in ("private", "shared"):
            values = dict(world["targets"][key].ids, notification_id=world["notification_id"])
            url = build(rule, values)
            if endpoint == "api.diff_revisions":
                url += f"?from={values['revision_id']}&to={values['revision_id']}"
            response = call(client, token, csrf, method, url)
            status = response.status_code
            may_see = org_slug == "mitten" or (org_slug == "grona" and key == "shared")
            if "notification_id" in rule.arguments:
                may_see = user.id == world["users"][("mitten", "approver")].id
            if status >= 500:
                failures.append(f"{method} {url} -> {status}")
            elif endpoint in UNSCOPED:
                continue
            elif not may_see and status != 404:
                failures.append(f"{method} {url} -> {status}, expected 404")
            elif may_see and method == "GET" and endpoint in PARTNER_PAGES and status != 200:
                failures.append(f"{method} {url} -> {status}, expected 200")
    assert failures == [], "\n".join(failures)


LIST_PAGES = ["/", "/documents", "/documents?q=text", "/documents?q=hemlig",
              "/documents?q=gemensam",
              "/inbox", "/audit", "/audit.csv", "/account/", "/settings/approvals", "/calendar"]
API_LISTS = ["/api/v1/documents", "/api/v1/documents?q=text", "/api/v1/notifications",
             "/api/v1/calendar"]


@pytest.mark.parametrize("org_slug", ["mitten", "grona", "vanster"])
@pytest.mark.parametrize("role", ROLES)
def test_lists_searches_and_exports_leak_nothing(app, client, world, org_slug, role):
    user = world["users"][(org_slug, role)]
    token = people.issue_token(user)
    login_as(client, user)
    hidden = {"mitten": [], "grona": [PRIVATE_TITLE],
              "vanster": [PRIVATE_TITLE, SHARED_TITLE]}[org_slug]
    seen = {"mitten": [PRIVATE_TITLE, SHARED_TITLE], "grona": [SHARED_TITLE],
            "vanster": []}[org_slug]
    pages = {url: client.get(url) for url in LIST_PAGES}
    pages.update({url: client.get(url, headers={"Authorization": f"Bearer {token}"})
                  for url in API_LISTS})
    for url, response in pages.items():
        assert response.status_code < 500, url
        text = response.get_data(as_text=True)
        for secret in hidden:
            assert secret not in text, f"{secret} leaks on {url} to {org_slug}/{role}"
    listing = pages["/documents"].get_data(as_text=True)
    for title in seen:
        assert title in listing
    api = pages["/api/v1/documents"].get_json()
    assert api["total"] == len(seen)


def test_unsharing_takes_access_away_at_once(app, client, world):
    partner_editor = world["users"][("grona", "editor")]
    shared = world["targets"]["shared"]
    login_as(client, partner_editor)
    assert client.get(f"/documents/{shared.doc.id}").status_code == 200
    coalition.unshare(world["users"][("mitten", "editor")], shared.doc, "grona")
    for url in (f"/documents/{shared.doc.id}", f"/documents/{shared.doc.id}/trail",
                f"/documents/{shared.doc.id}/history"):
        assert client.get(url).status_code == 404
    assert SHARED_TITLE not in client.get("/documents").get_data(as_text=True)
