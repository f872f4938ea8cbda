"""An office as the publishing and calendar tests meet it: Mittenpartiet (the owner, with
its staff), Gröna (a partner it shares texts with) and Högern (an outsider), and texts
approved through the workflow as the office would."""
from conftest import make_document, make_org, make_user, share

from commsdesk import workflow


class Office:
    def __init__(self):
        self.org = make_org("mitten", "Mittenpartiet")
        self.partner = make_org("gron", "Gröna")
        self.outsider = make_org("hoger", "Högern")
        self.editor = make_user(self.org, "editor")
        self.approver = make_user(self.org, "approver")
        self.contributor = make_user(self.org, "contributor")
        self.admin = make_user(self.org, "admin")
        self.partner_editor = make_user(self.partner, "editor")
        self.partner_approver = make_user(self.partner, "approver")
        self.outsider_editor = make_user(self.outsider, "editor")
        self.outsider_approver = make_user(self.outsider, "approver")

    def approved(self, title="Ny förskola i Åby", kind="press_release", shared=False,
                 editor=None, approver=None, body="Vi bygger **nu**."):
        """An approved text of the office (or of the outsider, given its people); shared
        with the partner and agreed by it too when `shared`."""
        editor, approver = editor or self.editor, approver or self.approver
        doc = make_document(editor, kind=kind, title=title, body=body)
        if shared:
            share(doc, self.partner)
        workflow.submit(editor, doc)
        workflow.approve(approver, doc)
        if shared:
            workflow.approve(self.partner_approver, doc)
        assert doc.state == workflow.APPROVED
        return doc
