"""Every organisation has its newsroom channel from the moment it is created; one made
before that gets it when first asked for (channels.website_channel)."""
from sqlalchemy import select

from commsdesk import channels, people
from commsdesk.extensions import db
from commsdesk.models import Channel, Organisation


def website_channels(org):
    return db.session.execute(select(Channel).where(
        Channel.organisation_id == org.id, Channel.type == "website")).scalars().all()


def test_a_new_organisation_has_its_newsroom_channel():
    org = people.create_organisation("Vänsterpartiet i Åby", "vanster")
    [channel] = website_channels(org)
    assert channel.enabled
    assert channels.website_channel(org) == channel  # asked again: the same one


def test_an_older_organisation_gets_it_when_first_asked():
    org = Organisation(name="Äldre", slug="aldre", timezone="Europe/Stockholm")
    db.session.add(org)
    db.session.commit()
    assert website_channels(org) == []
    channel = channels.website_channel(org)
    assert website_channels(org) == [channel]
