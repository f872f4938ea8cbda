"""The manual channel, for a platform without an API (a Facebook group, a newsletter of a
partner, a notice board): at its time nothing is sent; the row waits for the person
responsible, who gets the text ready to copy and the images to download
(publishing.manual), posts it by hand and marks it done."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from ..kinds import PLATFORMS
from ..models import User
from . import social
from .base import Adapter, Field, PermanentError

NO_PLATFORM = "none"
# Who may be made responsible: the organisation's editors and admins.
RESPONSIBLE_ROLES = ("editor", "admin")


def platform_choices():
    return ((NO_PLATFORM, _l("None (the whole text)")),
            *((key, p.label) for key, p in PLATFORMS.items()))


def responsible_candidates(organisation_id):
    """The organisation's active editors and admins, by name."""
    return db.session.execute(
        select(User).where(User.organisation_id == organisation_id,
                           User.role.in_(RESPONSIBLE_ROLES), User.active.is_(True))
        .order_by(User.name)).scalars().all()


class ManualAdapter(Adapter):
    type = "manual"
    label = _l("Posted by hand")
    kinds = social.KINDS
    supports_images = True
    by_hand = True
    retry_unknown = True  # handing over again only tells the person again
    fields = (
        Field("platform_name", _l("Platform"), max_length=200,
              placeholder="Facebook-grupp Älvstad"),
        Field("responsible_id", _l("Responsible"), "select", required=False,
              help=_l("Who posts it and marks it done; you, unless you choose someone.")),
        Field("platform", _l("Text for"), "select", required=False, choices=platform_choices(),
              default=NO_PLATFORM,
              help=_l("Which platform's version of a social post to use, and its length.")),
    )
    instructions = _l("For a platform commsdesk cannot post to. At the time a text is due, the "
                      "person responsible is told and gets the text ready to copy with its "
                      "images, posts it by hand and marks it as posted.")

    def field_choices(self, spec, organisation_id):
        if spec.name != "responsible_id":
            return spec.choices
        return (("", _l("The channel's owner")),
                *((str(u.id), u.name) for u in responsible_candidates(organisation_id)))

    def address(self, channel):
        return (channel.settings or {}).get("platform_name", "")

    def test_connection(self, channel):
        return _("a person (posted by hand)")

    def format(self, doc, revision, channel):
        key = (channel.settings or {}).get("platform") or NO_PLATFORM
        if key in PLATFORMS:
            return social.payload(doc, revision, key, max_images=10)
        content = revision.content
        text = (content.get("body") or "").strip() if doc.kind == "social_post" \
            else social.post_text(doc, revision, NO_PLATFORM)
        if not text:
            raise ValidationError(_("The post has no text: write its body."), field="body")
        return {"kind": doc.kind, "platform": NO_PLATFORM, "title": content["title"],
                "text": text, "parts": [text], "link": social.first_link(text),
                "content_warning": "", "images": social.images(doc, "large", 10),
                "organisation": doc.organisation.name, "revision": revision.number,
                "content_hash": revision.content_hash}

    def send(self, channel, publication):
        # The sender hands a by-hand row over to a person instead of sending it.
        raise PermanentError(_("This channel is posted by hand."))
