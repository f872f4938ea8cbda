"""The Flask-Admin back office: who gets in, tenancy, account changes, CSRF and CSP."""
import re

import pytest
from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk import people
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Organisation, OrganisationSetting, OutgoingEmail, Tag, User

ADMIN_PAGES = ["/admin/", "/admin/user/", "/admin/tag/", "/admin/setting/", "/admin/audit/",
               "/admin/user/new/", "/admin/tag/new/", "/admin/setting/new/"]


def english(user):
    """Messages in English whatever the catalogues say, so the tests can read them."""
    people.set_locale(user, "en")
    return user


def add_tag(org, name):
    tag = Tag(organisation_id=org.id, name=name)
    db.session.add(tag)
    db.session.commit()
    return tag


def add_setting(org, name, value="x"):
    setting = OrganisationSetting(organisation_id=org.id, name=name, value=value)
    db.session.add(setting)
    db.session.commit()
    return setting


def actions(*names):
    return set(db.session.execute(
        select(AuditEntry.action).where(AuditEntry.action.in_(names))).scalars())


@pytest.fixture
def two_orgs():
    a, b = make_org("alfa"), make_org("beta")
    return a, b


@pytest.fixture
def admin_a(two_orgs):
    return english(make_user(two_orgs[0], "admin"))


@pytest.fixture
def admin_client(app, admin_a):
    return login_as(app, admin_a)


# --- access ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", [*ADMIN_PAGES, "/admin/organisation/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=" + path.rstrip("/"))


@pytest.mark.parametrize("role", ["contributor", "editor", "approver"])
@pytest.mark.parametrize("path", [*ADMIN_PAGES, "/admin/organisation/"])
def test_non_admins_get_404(app, role, path):
    user = make_user(make_org(), role)
    assert login_as(app, user).get(path).status_code == 404


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_non_admins_cannot_post_either(app, role):
    org = make_org()
    client = login_as(app, make_user(org, role))
    assert client.form("/admin/tag/new/", {"name": "smuggled"}).status_code == 404
    assert db.session.execute(select(Tag)).first() is None


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_organisation_admin_gets_in(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_organisation_admin_cannot_manage_organisations(admin_client, two_orgs):
    assert admin_client.get("/admin/organisation/").status_code == 404
    assert admin_client.get("/admin/organisation/new/").status_code == 404
    assert admin_client.get(f"/admin/organisation/edit/?id={two_orgs[1].id}").status_code == 404
    assert "/admin/organisation/" not in admin_client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("path", [*ADMIN_PAGES, "/admin/organisation/"])
def test_superuser_gets_in(app, path):
    user = make_user(make_org(), "editor", superuser=True)
    assert login_as(app, user).get(path).status_code == 200


def test_no_password_or_session_columns(admin_client, admin_a):
    page = admin_client.get(f"/admin/user/edit/?id={admin_a.id}").get_data(as_text=True)
    listing = admin_client.get("/admin/user/").get_data(as_text=True)
    for text in (page, listing):
        assert "password" not in text.lower()
        assert admin_a.password_hash not in text
    assert admin_client.get("/admin/loginsession/").status_code == 404
    assert admin_client.get("/admin/apitoken/").status_code == 404
    assert admin_client.get("/admin/document/").status_code == 404


# --- tenancy --------------------------------------------------------------------------

@pytest.fixture
def org_b_rows(two_orgs):
    b = two_orgs[1]
    return {"user": make_user(b, "editor", email="other@beta.example"),
            "tag": add_tag(b, "beta-tag"),
            "setting": add_setting(b, "beta-setting", "beta-secret-value")}


def test_lists_show_only_own_organisation(admin_client, two_orgs, org_b_rows):
    a = two_orgs[0]
    make_user(a, "editor", email="colleague@alfa.example")
    add_tag(a, "alfa-tag")
    add_setting(a, "alfa-setting")
    users = admin_client.get("/admin/user/").get_data(as_text=True)
    assert "colleague@alfa.example" in users and "other@beta.example" not in users
    tags = admin_client.get("/admin/tag/").get_data(as_text=True)
    assert "alfa-tag" in tags and "beta-tag" not in tags
    settings = admin_client.get("/admin/setting/").get_data(as_text=True)
    assert "alfa-setting" in settings and "beta-setting" not in settings
    assert "beta-secret-value" not in settings
    searched = admin_client.get("/admin/user/?search=other").get_data(as_text=True)
    assert "other@beta.example" not in searched


@pytest.mark.parametrize("kind", ["user", "tag", "setting"])
def test_other_organisations_rows_answer_404(admin_client, org_b_rows, kind):
    row_id = org_b_rows[kind].id
    assert admin_client.get(f"/admin/{kind}/edit/?id={row_id}").status_code == 404
    assert admin_client.get(f"/admin/{kind}/details/?id={row_id}").status_code in (302, 404)
    posted = admin_client.form(f"/admin/{kind}/edit/?id={row_id}",
                               {"name": "hijacked", "email": "hijacked@example.org",
                                "role": "admin", "value": "hijacked"})
    assert posted.status_code == 404


def test_other_organisations_rows_are_not_changed_or_deleted(admin_client, org_b_rows):
    ids = {kind: row.id for kind, row in org_b_rows.items()}
    for kind in ("tag", "setting"):
        response = admin_client.form(f"/admin/{kind}/delete/", {"id": ids[kind]})
        assert response.status_code == 404
        admin_client.form(f"/admin/{kind}/action/", {"action": "delete", "rowid": ids[kind]})
    admin_client.form("/admin/user/delete/", {"id": ids["user"]})
    admin_client.form(f"/admin/user/edit/?id={ids['user']}",
                      {"name": "x", "email": "other@beta.example", "role": "editor"})
    db.session.expire_all()
    assert db.session.get(Tag, ids["tag"]).name == "beta-tag"
    assert db.session.get(OrganisationSetting, ids["setting"]).value == "beta-secret-value"
    user = db.session.get(User, ids["user"])
    assert user.active and user.name == "other"


def test_created_rows_belong_to_own_organisation_whatever_is_posted(admin_client, two_orgs,
                                                                    admin_a):
    a, b = two_orgs
    response = admin_client.form("/admin/user/new/", {
        "email": "new@example.org", "name": "Ny Person", "role": "editor", "active": "y",
        "organisation": b.id, "organisation_id": b.id})
    assert response.status_code == 302
    response = admin_client.form("/admin/tag/new/",
                                 {"name": "skola", "organisation": b.id, "organisation_id": b.id})
    assert response.status_code == 302
    response = admin_client.form("/admin/setting/new/", {"name": "signature", "value": "Hej",
                                                         "organisation": b.id})
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.email == "new@example.org")).scalar_one()
    assert user.organisation_id == a.id
    assert db.session.execute(select(Tag).where(Tag.name == "skola")).scalar_one() \
        .organisation_id == a.id
    setting = db.session.execute(select(OrganisationSetting)).scalar_one()
    assert (setting.organisation_id, setting.value) == (a.id, "Hej")


def test_editing_cannot_move_a_row_to_another_organisation(admin_client, two_orgs, admin_a):
    a, b = two_orgs
    tag = add_tag(a, "skola")
    response = admin_client.form(f"/admin/tag/edit/?id={tag.id}",
                                 {"name": "förskola", "organisation": b.id,
                                  "organisation_id": b.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert (tag.name, tag.organisation_id) == ("förskola", a.id)


def test_audit_log_is_own_organisation_and_read_only(admin_client, two_orgs, org_b_rows,
                                                     admin_a):
    b = two_orgs[1]
    other = db.session.execute(
        select(AuditEntry).where(AuditEntry.organisation_id == b.id)).scalars().first()
    page = admin_client.get("/admin/audit/").get_data(as_text=True)
    assert "user.created" in page  # the admin's own account
    assert "other@beta.example" not in page
    assert admin_client.get(f"/admin/audit/details/?id={other.id}").status_code == 404
    own = db.session.execute(
        select(AuditEntry).where(AuditEntry.organisation_id == admin_a.organisation_id)
    ).scalars().first()
    assert admin_client.get(f"/admin/audit/details/?id={own.id}").status_code == 200
    count = db.session.execute(select(AuditEntry)).all()
    for url in ("/admin/audit/new/", f"/admin/audit/edit/?id={own.id}"):
        admin_client.form(url, {"action": "forged"})
    admin_client.form("/admin/audit/delete/", {"id": own.id})
    admin_client.form("/admin/audit/action/", {"action": "delete", "rowid": own.id})
    assert db.session.execute(select(AuditEntry)).all() == count
    assert not actions("forged")


def test_superuser_sees_every_organisation(app, two_orgs, org_b_rows):
    a = two_orgs[0]
    superuser = make_user(a, "editor", email="drift@example.org", superuser=True)
    client = login_as(app, superuser)
    users = client.get("/admin/user/").get_data(as_text=True)
    assert "other@beta.example" in users and "drift@example.org" in users
    assert "beta-tag" in client.get("/admin/tag/").get_data(as_text=True)
    assert client.get(f"/admin/user/edit/?id={org_b_rows['user'].id}").status_code == 200


# --- users ----------------------------------------------------------------------------

def test_creating_a_user_sends_an_invitation(admin_client, admin_a):
    response = admin_client.form("/admin/user/new/", {
        "email": "Ny@Example.org", "name": " Ny Person ", "role": "approver", "active": "y"},
        follow_redirects=True)
    assert "An invitation to choose a password has been sent to ny@example.org" in \
        response.get_data(as_text=True)
    user = db.session.execute(select(User).where(User.email == "ny@example.org")).scalar_one()
    assert (user.name, user.role, user.password_hash) == ("Ny Person", "approver", None)
    mail = db.session.execute(select(OutgoingEmail)).scalar_one()
    assert mail.to_address == "ny@example.org" and "/invite/" in mail.text_body
    assert {"user.invited", "admin.user.created"} <= actions("user.invited", "admin.user.created")


def test_creating_a_user_with_a_taken_email_or_bad_role_fails_clearly(admin_client, admin_a):
    response = admin_client.form("/admin/user/new/", {
        "email": admin_a.email.upper(), "name": "Dubblett", "role": "editor", "active": "y"})
    assert response.status_code == 200
    assert "A user with that email exists already." in response.get_data(as_text=True)
    response = admin_client.form("/admin/user/new/", {
        "email": "x@example.org", "name": "X", "role": "owner", "active": "y"})
    assert response.status_code == 200
    assert db.session.execute(select(User).where(User.email == "x@example.org")).first() is None


def test_disabling_a_user_ends_their_session_at_once(app, admin_client, two_orgs):
    editor = make_user(two_orgs[0], "editor")
    editor_client = login_as(app, editor)
    assert editor_client.get("/").status_code == 200
    response = admin_client.form(f"/admin/user/edit/?id={editor.id}", {
        "email": editor.email, "name": editor.name, "role": "editor"})  # "active" unticked
    assert response.status_code == 302
    after = editor_client.get("/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    db.session.expire_all()
    assert not editor.active
    assert actions("user.disabled", "admin.user.updated") == {"user.disabled",
                                                              "admin.user.updated"}
    assert editor_client.login(editor.email).status_code == 401
    # and enabling again lets them log in
    admin_client.form(f"/admin/user/edit/?id={editor.id}", {
        "email": editor.email, "name": editor.name, "role": "editor", "active": "y"})
    assert editor_client.login(editor.email).status_code == 302
    assert "user.enabled" in actions("user.enabled")


def test_editing_a_user_changes_role_and_name(admin_client, two_orgs):
    editor = make_user(two_orgs[0], "editor")
    response = admin_client.form(f"/admin/user/edit/?id={editor.id}", {
        "email": editor.email, "name": "Nytt Namn", "role": "approver", "active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (editor.name, editor.role, editor.active) == ("Nytt Namn", "approver", True)


@pytest.mark.parametrize("change, message", [
    ({"role": "admin"}, "You cannot disable your own account."),
    ({"role": "editor", "active": "y"}, "You cannot take away your own admin role."),
])
def test_admin_cannot_disable_or_demote_themselves(admin_client, admin_a, change, message):
    response = admin_client.form(f"/admin/user/edit/?id={admin_a.id}",
                                 {"email": admin_a.email, "name": admin_a.name, **change})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert admin_a.active and admin_a.role == "admin"
    assert admin_client.get("/admin/").status_code == 200


def test_organisation_admin_cannot_change_a_superuser(admin_client, two_orgs):
    operator = make_user(two_orgs[0], "admin", email="drift@example.org", superuser=True)
    response = admin_client.form(f"/admin/user/edit/?id={operator.id}", {
        "email": operator.email, "name": operator.name, "role": "admin"})
    assert "Only a superuser may change a superuser" in response.get_data(as_text=True)
    db.session.expire_all()
    assert operator.active


def test_users_cannot_be_deleted(admin_client, two_orgs):
    editor = make_user(two_orgs[0], "editor")
    admin_client.form("/admin/user/delete/", {"id": editor.id})
    admin_client.form("/admin/user/action/", {"action": "delete", "rowid": editor.id})
    assert db.session.get(User, editor.id) is not None


# --- tags and settings ----------------------------------------------------------------

def test_tags_and_settings_are_audited(admin_client, two_orgs):
    admin_client.form("/admin/tag/new/", {"name": "skola"})
    tag_id = db.session.execute(select(Tag.id)).scalar_one()
    admin_client.form(f"/admin/tag/edit/?id={tag_id}", {"name": "förskola"})
    assert db.session.get(Tag, tag_id).name == "förskola"
    assert admin_client.form("/admin/tag/delete/", {"id": tag_id}).status_code == 302
    assert db.session.execute(select(Tag)).first() is None
    assert actions("admin.tag.created", "admin.tag.updated", "admin.tag.deleted") == {
        "admin.tag.created", "admin.tag.updated", "admin.tag.deleted"}
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "admin.tag.created")).scalar_one()
    assert (entry.object_id, entry.organisation_id) == (tag_id, two_orgs[0].id)


def test_duplicate_tag_is_refused_clearly(admin_client, two_orgs):
    add_tag(two_orgs[0], "skola")
    add_tag(two_orgs[1], "förskola")
    response = admin_client.form("/admin/tag/new/", {"name": "skola"})
    assert "The tag skola exists already." in response.get_data(as_text=True)
    # the same name in another organisation is no conflict
    assert admin_client.form("/admin/tag/new/", {"name": "förskola"}).status_code == 302


def test_bulk_delete_of_own_tags(admin_client, two_orgs):
    ids = [add_tag(two_orgs[0], name).id for name in ("a", "b")]
    response = admin_client.post("/admin/tag/action/", data={
        "csrf_token": admin_client.csrf_token(), "action": "delete", "rowid": ids})
    assert response.status_code == 302
    assert db.session.execute(select(Tag)).first() is None


# --- organisations (superuser) --------------------------------------------------------

@pytest.fixture
def super_client(app, two_orgs):
    return login_as(app, english(make_user(two_orgs[0], "editor", email="drift@example.org",
                                            superuser=True)))


def test_superuser_creates_and_edits_an_organisation(super_client):
    response = super_client.form("/admin/organisation/new/", {
        "name": "Gröna Älvstad", "slug": "grona-alvstad", "timezone": "Europe/Helsinki"})
    assert response.status_code == 302
    org = people.get_organisation("grona-alvstad")
    assert (org.name, org.timezone) == ("Gröna Älvstad", "Europe/Helsinki")
    response = super_client.form(f"/admin/organisation/edit/?id={org.id}", {
        "name": "Gröna", "slug": "grona", "timezone": "Europe/Stockholm"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (org.name, org.slug, org.timezone) == ("Gröna", "grona", "Europe/Stockholm")
    assert {"admin.organisation.created", "admin.organisation.updated"} <= actions(
        "admin.organisation.created", "admin.organisation.updated")


@pytest.mark.parametrize("data, message", [
    ({"name": "X", "slug": "Not A Slug"}, "The slug may contain lower-case letters"),
    ({"name": "X", "slug": "alfa"}, "Already exists."),
    ({"name": "X", "slug": "x", "timezone": "Mars/Olympus"}, "Unknown time zone Mars/Olympus"),
])
def test_bad_organisations_are_refused_clearly(super_client, data, message):
    response = super_client.form("/admin/organisation/new/", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert len(db.session.execute(select(Organisation)).all()) == 2


def test_organisation_with_users_cannot_be_deleted(super_client, two_orgs):
    a, b = two_orgs[0].id, two_orgs[1].id
    response = super_client.form("/admin/organisation/delete/", {"id": a},
                                 follow_redirects=True)
    assert "has 1 users and cannot be deleted" in response.get_data(as_text=True)
    assert db.session.get(Organisation, a) is not None
    assert super_client.form("/admin/organisation/delete/", {"id": b}).status_code == 302
    assert db.session.get(Organisation, b) is None
    assert "admin.organisation.deleted" in actions("admin.organisation.deleted")


def test_superuser_creates_a_user_in_another_organisation(super_client, two_orgs):
    b = two_orgs[1]
    response = super_client.form("/admin/user/new/", {
        "email": "forste@beta.example", "name": "Första", "role": "admin", "active": "y",
        "organisation": b.id}, follow_redirects=True)
    assert "has no password yet" in response.get_data(as_text=True)
    user = db.session.execute(select(User).where(User.email == "forste@beta.example")).scalar_one()
    assert (user.organisation_id, user.role) == (b.id, "admin")


# --- CSRF and CSP ---------------------------------------------------------------------

def test_posts_without_csrf_token_are_refused(admin_client):
    response = admin_client.post("/admin/tag/new/", data={"name": "skola"})
    assert response.status_code == 400
    assert db.session.execute(select(Tag)).first() is None


def test_admin_forms_carry_the_apps_csrf_token(admin_client):
    page = admin_client.get("/admin/tag/new/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = admin_client.post("/admin/tag/new/", data={"csrf_token": token, "name": "skola"})
    assert response.status_code == 302
    assert db.session.execute(select(Tag)).scalar_one().name == "skola"


@pytest.mark.parametrize("path", ["/admin/", "/admin/user/", "/admin/tag/new/"])
def test_csp_nonce_on_admin_pages(admin_client, path):
    response = admin_client.get(path)
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    page = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.DOTALL)
    inline = [attrs for attrs, body in scripts if "src=" not in attrs and body.strip()]
    assert inline, "expected at least one inline script"
    for attrs, _body in scripts:
        assert f'nonce="{nonce}"' in attrs
    # a fresh nonce on every request
    again = admin_client.get(path).headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" not in again


def test_csp_outside_admin_has_no_nonce(editor_client):
    csp = editor_client.get("/").headers["Content-Security-Policy"]
    assert "nonce-" not in csp and "unsafe-inline" not in csp
