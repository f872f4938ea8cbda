"""The whole way: the worker polls a documents page, reads its PDFs, finds a watch word on
page 37 and tells the secretary; a damaged PDF shows on the working source."""
from conftest import make_user, run_worker
from sqlalchemy import select, update

from commsdesk.extensions import db
from commsdesk.models import (
    Item,
    ItemMatch,
    Notification,
    OrganisationSetting,
    SourceCheck,
    WatchList,
)
from commsdesk.monitoring import sources

from .pdfs import make_pdf


def test_a_watch_word_on_page_37_of_a_new_agenda_reaches_the_secretary(source, site):
    secretary = make_user(source.organisation, "editor")
    # Swedish, so that the Swedish word forms are matched (the fixture speaks English).
    db.session.execute(update(OrganisationSetting).where(
        OrganisationSetting.name == "brand.locale").values(value="sv"))
    db.session.add(WatchList(organisation_id=source.organisation_id, name="Skola",
                             terms=["förskola"], recipients=[secretary]))
    db.session.commit()
    pages = [f"Ärende {n}: övrigt" for n in range(1, 41)]
    pages[36] = "Ärende 37: Nya förskolor i Västerby"
    site.page = ('<a href="/docs/kallelse.pdf">Kallelse KF 1 december</a>'
                 '<a href="/docs/bilaga.pdf">Bilaga</a>')
    site.files = {"/docs/kallelse.pdf": make_pdf(pages), "/docs/bilaga.pdf": b"%PDF-1.4 trasig"}

    run_worker()

    agenda = db.session.execute(select(Item).where(Item.title == "Kallelse KF 1 december")
                                ).scalar_one()
    (match,) = db.session.execute(select(ItemMatch).where(ItemMatch.item_id == agenda.id)
                                  ).scalars().all()
    assert (match.term, match.page) == ("förskola", 37) and "förskolor" in match.snippet
    note = db.session.execute(select(Notification).where(
        Notification.user_id == secretary.id)).scalar_one()
    assert note.event == "watch_match" and note.data["page"] == 37
    check = db.session.execute(select(SourceCheck)).scalar_one()
    assert check.outcome == "ok" and "bilaga.pdf" in check.error
    health = sources.health(db.session.get(type(source), source.id))
    assert health.status == "ok" and "bilaga.pdf" in health.last_error
