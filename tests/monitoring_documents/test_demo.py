"""The demo's monitoring: paused fictional sources, items in every triage state (a 40-page
agenda with "förskola" on page 37), and two watch lists, loaded without the network."""
import socket

from sqlalchemy import select

from commsdesk import demo
from commsdesk.extensions import db
from commsdesk.models import Item, Organisation, Source, WatchList


def _no_network(monkeypatch):
    connect = socket.socket.connect

    def local_only(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (
                "127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"the demo reached for the network: {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", local_only)


def test_the_demo_follows_four_sources_without_fetching_them(runner, monkeypatch):
    _no_network(monkeypatch)
    assert runner.invoke(args=["demo"]).exit_code == 0
    org = db.session.execute(select(Organisation).where(
        Organisation.slug == demo.ORG[1])).scalar_one()
    sources = db.session.execute(select(Source).where(
        Source.organisation_id == org.id)).scalars().all()
    assert {s.kind for s in sources} == {"feed", "documents_page"} and len(sources) == 4
    assert not any(s.active for s in sources)  # fictional addresses: never polled
    found = db.session.execute(select(Item).where(Item.organisation_id == org.id)).scalars().all()
    assert 12 <= len(found) <= 20
    assert {i.state for i in found} == {"new", "read", "flagged", "archived"}
    [agenda] = [i for i in found if i.kind == "pdf" and len(i.pages or []) == 40]
    assert "förskola" in agenda.pages[36]
    assert not any("förskol" in page for n, page in enumerate(agenda.pages) if n != 36)
    lists = {w.name: w for w in db.session.execute(select(WatchList).where(
        WatchList.organisation_id == org.id)).scalars()}
    school, budget = lists["Skola och förskola"], lists["Budget"]
    assert school.terms == ["förskola", "skola", '"nya förskolor"']
    assert school.delivery == "instant" and budget.delivery == "digest"
    assert [u.email for u in school.recipients] == ["sekreterare@mitten.example"]
    assert [u.email for u in budget.recipients] == ["gruppledare@mitten.example"]
