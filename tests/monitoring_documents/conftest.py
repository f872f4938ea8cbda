"""A municipality's documents page on a local server, and a source of the kind
documents_page that follows it (the organisation allows 127.0.0.1, as the SSRF guard asks,
and speaks English)."""
import pytest
from conftest import make_org

from commsdesk.extensions import db
from commsdesk.models import OrganisationSetting, Source

from .server import DocumentsSite


@pytest.fixture
def site():
    server = DocumentsSite().start()
    yield server
    server.stop()


@pytest.fixture
def source(app, site):
    org = make_org("mitten")
    db.session.add(OrganisationSetting(organisation_id=org.id, name="monitoring.allowed_hosts",
                                       value="127.0.0.1"))
    # Problems are worded in the organisation's language; English keeps the tests' wording.
    db.session.add(OrganisationSetting(organisation_id=org.id, name="brand.locale", value="en"))
    row = Source(organisation_id=org.id, kind="documents_page", name="Älvstads kommun, handlingar",
                 url=f"{site.url}/handlingar")
    db.session.add(row)
    db.session.commit()
    return row
