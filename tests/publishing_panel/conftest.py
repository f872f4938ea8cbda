"""An office that publishes: an owning organisation with its staff, a partner the text is
shared with, an outsider; an approved, shared press release; and test doubles of external
platforms (adapters registered in channels.ADAPTERS with a Channel row of their type)."""
import pytest
from office import Office as BaseOffice

from commsdesk import channels
from commsdesk.channels import Adapter, PermanentError, SendResult, UnknownOutcome
from commsdesk.extensions import db
from commsdesk.models import Channel

KINDS = frozenset({"press_release", "op_ed", "letter", "web_article"})


class RefusingPlatform(Adapter):
    """A platform that refuses every post (as one does with revoked credentials)."""

    type = "test_refusing"
    label = "Refusing"
    kinds = KINDS

    def format(self, doc, revision, channel):
        return {"title": revision.content["title"]}

    def send(self, channel, publication):
        raise PermanentError("The platform refused the post: the access token was revoked.")


class SilentPlatform(Adapter):
    """A platform whose answer never arrives: the outcome is unknown."""

    type = "test_silent"
    label = "Silent"
    kinds = KINDS

    def format(self, doc, revision, channel):
        return {"title": revision.content["title"]}

    def send(self, channel, publication):
        raise UnknownOutcome("No answer from the platform: check whether the post is there.")


class AcceptingPlatform(Adapter):
    type = "test_accepting"
    label = "Accepting"
    kinds = KINDS

    def format(self, doc, revision, channel):
        return {"title": revision.content["title"]}

    def send(self, channel, publication):
        return SendResult(external_id="p-1", url="https://social.example/@mitten/1")


PLATFORMS = {cls.type: cls() for cls in (RefusingPlatform, SilentPlatform, AcceptingPlatform)}


@pytest.fixture
def platforms(monkeypatch):
    """Registers the test platforms; add_channel(org, type, name) gives a Channel row."""
    for key, adapter in PLATFORMS.items():
        monkeypatch.setitem(channels.ADAPTERS, key, adapter)

    def add_channel(org, kind, name):
        channel = Channel(organisation_id=org.id, type=kind, name=name, settings={})
        db.session.add(channel)
        db.session.commit()
        return channel
    return add_channel


class Office(BaseOffice):
    """The office (tests/office.py) with its newsroom."""

    def newsroom(self):
        return channels.website_channel(self.org)


@pytest.fixture
def office():
    office = Office()
    office.newsroom()
    db.session.commit()
    return office
