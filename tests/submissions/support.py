"""Factories for submission tests: an approved op-ed with a signatory, and outlets."""
from conftest import make_document, make_user

from commsdesk import coalition, outlets, workflow

BODY = "Bussen är ingen lyx. Den är förutsättningen för att kunna bo kvar i Västerby."


def approved_op_ed(editor, approver=None, body=BODY, kind="op_ed", title="Bussarna"):
    """An op-ed (or letter) approved by the organisation's group leader, with a signatory."""
    approver = approver or make_user(editor.organisation, "approver")
    doc = make_document(editor, kind=kind, title=title, body=body, lead="Kort ingress.")
    coalition.add_signatory(editor, doc, "Eva Sjöberg", "gruppledare")
    workflow.submit(editor, doc, reviewer_ids=[approver.id])
    workflow.approve(approver, doc)
    return doc


def make_outlet(user, name="Älvstads Tidning", email="debatt@alvstad.example", **values):
    return outlets.save(user, {"name": name, "email": email, "reply_days": 7, **values})
