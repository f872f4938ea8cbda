"""Notification emails as a real SMTP server receives them: the recipient's language, a link
to the document, and hostile titles and comments that never become live markup."""
import re
from datetime import UTC, datetime

from conftest import make_document, make_org, make_user
from markup import HOSTILE, assert_inert

from commsdesk import mail, notifications, people, workflow
from commsdesk.extensions import db

from .support import parts, subject


def _notify(*args, **data):
    notifications.notify(*args, **data)
    db.session.commit()


def test_email_is_received_with_a_link_to_the_document(app, smtp):
    org = make_org("mitten")
    actor = make_user(org, "editor")
    reviewer = make_user(org, "approver", email="granskare@mitten.example")
    people.set_locale(reviewer, "en")
    doc = make_document(actor, title="Skolutspel")
    _notify("review_requested", doc, actor, [reviewer])
    assert smtp.messages == []  # the worker sends, not the request
    assert mail.send_due() == 1

    [message] = smtp.to("granskare@mitten.example")
    text, html = parts(message)
    link = f"http://localhost/documents/{doc.id}"
    assert link in text and f'href="{link}"' in html
    assert subject(message) == f"{actor.name} asks you to review “Skolutspel”."
    assert "http://localhost/inbox/preferences" in text
    assert mail.send_due() == 0


def test_email_without_a_chosen_language_uses_the_installation_default(app, smtp):
    org = make_org("mitten")
    actor = make_user(org, "editor")
    reader = make_user(org, "approver", email="sv@mitten.example")
    doc = make_document(actor, kind="press_release", title="Utspel")
    app.config["BABEL_DEFAULT_LOCALE"] = "sv"
    try:
        _notify("review_requested", doc, actor, [reader])
        mail.send_due()
    finally:
        app.config["BABEL_DEFAULT_LOCALE"] = "en"
    text, _html = parts(smtp.to("sv@mitten.example")[0])
    assert "Pressmeddelande: Utspel" in text


def test_email_is_in_the_recipients_language(app, smtp):
    org = make_org("mitten")
    actor = make_user(org, "editor")
    swede = make_user(org, "approver", email="sv@mitten.example")
    english = make_user(org, "admin", email="en@mitten.example")
    people.set_locale(swede, "sv")
    people.set_locale(english, "en")
    doc = make_document(actor, kind="press_release", title="Utspel")
    due = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)
    _notify("review_requested", doc, actor, [swede, english], due_at=due)
    mail.send_due()

    sv_text, sv_html = parts(smtp.to("sv@mitten.example")[0])
    en_text, en_html = parts(smtp.to("en@mitten.example")[0])
    assert "Pressmeddelande: Utspel" in sv_text and "Press release: Utspel" in en_text
    assert "14 mars 2031" in sv_text and "14 Mar 2031" in en_text  # in Stockholm time
    assert "10:00" in sv_text and "10:00" in en_text
    assert 'lang="sv"' in sv_html and 'lang="en"' in en_html
    assert subject(smtp.to("en@mitten.example")[0]).endswith("asks you to review “Utspel”.")


def test_hostile_title_and_comment_never_become_markup(app, smtp):
    org = make_org("mitten")
    actor = make_user(org, "editor")
    reader = make_user(org, "approver", email="las@mitten.example")
    notifications.set_preferences(reader, ["comment", "changes_requested"])
    doc = make_document(actor, title=HOSTILE[:290])
    _notify("comment", doc, actor, [reader], excerpt=HOSTILE + "\n" + HOSTILE)
    _notify("changes_requested", doc, actor, [reader], message="**Fet** " + HOSTILE)
    assert mail.send_due() == 2

    for message in smtp.to("las@mitten.example"):
        text, html = parts(message)
        assert "\n" not in subject(message) and "<script>" in subject(message)
        # The text part is plain text: the words are there, as words.
        assert "<script>alert(1)</script>" in text
        # The HTML part shows them escaped: no tag or handler from the input survives.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert_inert(html, {"html", "head", "meta", "title", "body", "p", "strong", "a",
                            "blockquote", "br", "hr", "small"})
        assert "<strong>Fet" not in html  # comments are not rendered as Markdown here
        assert re.search(r"<a href=\"http://localhost/documents/\d+\">", html)


def test_review_requested_through_the_workflow_reaches_the_reviewer(app, smtp):
    """The real call path: submitting for review emails the approvers, not the submitter."""
    org = make_org("mitten")
    editor = make_user(org, "editor", email="skribent@mitten.example")
    approver = make_user(org, "approver", email="ledare@mitten.example")
    doc = make_document(editor, title="Till granskning")
    workflow.submit(editor, doc)
    mail.send_due()
    assert [m["To"] for m in smtp.messages] == [approver.email]
    assert notifications.unread_count(approver) == 1 and notifications.unread_count(editor) == 0


def test_without_smtp_host_the_worker_prints_the_email(app, capsys):
    org = make_org("mitten")
    actor = make_user(org, "editor")
    reviewer = make_user(org, "approver")
    _notify("review_requested", make_document(actor, title="Konsol"), actor, [reviewer])
    assert app.config["SMTP_HOST"] is None
    mail.send_due()
    assert "Konsol" in capsys.readouterr().out
