"""The emails a debate desk receives: the offer (the approved text, its signatories and the
authors' presentation, plain text and simple HTML) and a short note when an offer is
withdrawn. Both leave through the email outbox (mail.queue) in the submitter's language.

mail.queue sets no Reply-To, so the body says whom to answer."""
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import coalition, kinds, mail
from ..rendering import render_markdown


def _locale(user):
    languages = current_app.config["LANGUAGES"]
    return user.locale if user is not None and user.locale in languages else \
        current_app.config["BABEL_DEFAULT_LOCALE"]


def signatory_lines(doc):
    """Each signatory as name, title and organisation (the order the document gives)."""
    return [{"name": s.name, "title": s.title or "", "organisation": s.organisation.name}
            for s in coalition.signatories(doc)]


def queue_offer(user, submission):
    """Queue the offer to the outlet's desk; returns the email row (the caller commits)."""
    doc, outlet, revision = submission.document, submission.outlet, submission.revision
    content = revision.content
    context = {
        "title": content.get("title", ""), "lead": content.get("lead") or "",
        "body": content.get("body") or "",
        "lead_html": render_markdown(content.get("lead") or ""),
        "body_html": render_markdown(content.get("body") or ""),
        "signatories": signatory_lines(doc), "presentation": submission.presentation,
        "note": submission.note, "outlet": outlet, "exclusive": submission.exclusive,
        "organisation": doc.organisation.name, "sender": user,
        "characters": kinds.text_stats(content)["characters"],
    }
    with force_locale(_locale(user)):
        kind = kinds.get_kind(doc.kind)
        subject = _("%(kind)s: %(title)s", kind=kind.label if kind else doc.kind,
                    title=context["title"])
        context["kind_label"] = str(kind.label) if kind else doc.kind
        text = render_template("email/submission.txt", **context)
        html = render_template("email/submission.html", **context)
    return mail.queue(outlet.email, " ".join(subject.split())[:200], text, html,
                      organisation_id=doc.organisation_id)


def queue_withdrawal(user, submission):
    """Queue a short note telling the desk the text is no longer offered."""
    content = submission.revision.content
    with force_locale(_locale(user)):
        subject = _("Withdrawn: %(title)s", title=content.get("title", ""))
        text = render_template("email/submission_withdrawn.txt", title=content.get("title", ""),
                               offered_at=submission.offered_at, outlet=submission.outlet,
                               sender=user, organisation=submission.document.organisation.name)
    return mail.queue(submission.outlet.email, " ".join(subject.split())[:200], text,
                      organisation_id=submission.organisation_id)
