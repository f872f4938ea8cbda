"""The desk receives the offer through a real SMTP server: one message with the text, its
signatories and the authors' presentation; a withdrawal sends a short note."""
from conftest import run_worker
from notifications.support import parts

from commsdesk import mail, submissions

from .support import approved_op_ed, make_outlet


def test_the_desk_receives_one_message(app, smtp, editor):
    doc = approved_op_ed(editor)
    mail.send_due()  # the approval's notifications first
    smtp.messages.clear()
    outlet = make_outlet(editor, "Länsposten", "debatt@lansposten.example")
    submissions.submit(editor, doc, outlet.id, "Eva Sjöberg är gruppledare i Älvstad.",
                       "Vi hoppas på publicering före budgetdebatten.")
    run_worker()
    [message] = smtp.to("debatt@lansposten.example")
    assert len(smtp.messages) == 1
    text, html = parts(message)
    for part in (text, html):
        assert "Bussarna" in part and "Kort ingress." in part
        assert "Bussen är ingen lyx" in part
        assert "Eva Sjöberg, gruppledare" in part and editor.organisation.name in part
        assert "Eva Sjöberg är gruppledare i Älvstad." in part
        assert editor.email in part
    assert "<script" not in html


def test_withdrawal_sends_a_short_note(app, smtp, editor):
    doc = approved_op_ed(editor)
    outlet = make_outlet(editor, "Länsposten", "debatt@lansposten.example")
    row = submissions.submit(editor, doc, outlet.id, "Om författaren")
    submissions.withdraw(editor, doc, row)
    run_worker()
    notes = smtp.to("debatt@lansposten.example")
    assert len(notes) == 2 and notes[1]["Subject"].startswith("Withdrawn: Bussarna")
