"""An admin invites a user by email; the signed link sets a password once and expires."""
import re
import time

from conftest import login_as, make_user
from smtp_server import free_port
from sqlalchemy import select

from commsdesk import mail, people
from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail


def link_in(message):
    body = message.get_payload(decode=True).decode()
    return re.search(r"http://localhost(/invite/\S+)", body).group(1)


def test_invite_is_emailed_and_link_sets_password_once(app, client, org, smtp):
    admin = make_user(org, "admin")
    login_as(client, admin)
    response = client.form("/account/invite", {"inv-email": "ny@example.org",
                                               "inv-name": "Ny Person", "inv-role": "editor"})
    assert response.status_code == 302
    assert mail.send_due() == 1
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ny@example.org"
    path = link_in(message)
    row = db.session.execute(select(OutgoingEmail)).scalar_one()
    assert row.state == "sent" and row.message_id == message["Message-ID"]

    invited = app.test_client()
    assert invited.get(path).status_code == 200
    token = invited.csrf_token()
    response = invited.post(path, data={"csrf_token": token, "new_password": "mitt eget lösen",
                                        "confirm": "mitt eget lösen"})
    assert response.status_code == 302
    assert invited.get("/").status_code == 200
    # The link worked once.
    assert app.test_client().get(path).status_code == 422
    assert mail.send_due() == 0  # nothing sent twice


def test_only_admins_invite(client, org, editor):
    login_as(client, editor)
    response = client.form("/account/invite", {"inv-email": "x@example.org", "inv-name": "X",
                                               "inv-role": "admin"})
    assert response.status_code == 403
    assert db.session.execute(select(OutgoingEmail)).first() is None


def test_expired_invite_is_refused(app, org):
    admin = make_user(org, "admin")
    with app.test_request_context():
        _user, link = people.invite_user(admin, "sen@example.org", "Sen", "editor")
    path = link.removeprefix("http://localhost")
    app.config["INVITE_MAX_AGE"] = 1
    try:
        time.sleep(2)
        page = app.test_client().get(path)
        assert page.status_code == 422
    finally:
        app.config["INVITE_MAX_AGE"] = 7 * 24 * 3600


def test_smtp_failure_is_retried_not_lost(app, org):
    admin = make_user(org, "admin")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nobody listens
    try:
        with app.test_request_context():
            people.invite_user(admin, "vänta@example.org", "Vänta", "editor")
        mail.send_due()
    finally:
        app.config.update(SMTP_HOST=None)
    row = db.session.execute(select(OutgoingEmail)).scalar_one()
    assert row.state == "queued" and row.attempts == 1 and row.last_error
