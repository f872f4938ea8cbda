"""The Send by email panel, the send-out page with its progress, and the newsletters
commands."""
from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import Delivery, Mailing, Segment
from commsdesk.newsletter import mailings

from .conftest import add_members, approved, to_members


def test_panel_counts_sends_and_shows_progress(app, staff, org, smtp):
    add_members(org, 3)
    add_members(org, 2, branch="Norr", prefix="medlemnorr")
    segment = Segment(organisation_id=org.id, name="Norr", filters={"branches": ["Norr"]})
    db.session.add(segment)
    db.session.commit()
    doc = approved(staff)
    client = login_as(app, staff["editor"])
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Send by email" in page and 'name="segment"' in page
    counted = client.get(f"/documents/{doc.id}/mailings/count?segment={segment.id}").get_json()
    assert (counted["recipients"], counted["spared"]) == (2, 0)
    response = client.form(f"/documents/{doc.id}/mailings",
                           {"segment": str(segment.id), "when": "now"})
    assert response.status_code == 302
    mailing = db.session.execute(select(Mailing)).scalar_one()
    assert response.headers["Location"].endswith(f"/mailings/{mailing.id}")
    progress = client.get(f"/mailings/{mailing.id}/progress.json").get_json()
    assert (progress["total"], progress["counts"]["queued"]) == (2, 2)
    run_worker()
    assert len(to_members(smtp)) == 2
    page = client.get(f"/mailings/{mailing.id}").get_data(as_text=True)
    assert "<progress" in page and "Finished" in page
    assert client.get(f"/mailings/{mailing.id}/progress.json").get_json()["percent"] == 100
    assert f"/mailings/{mailing.id}" in client.get("/mailings").get_data(as_text=True)


def test_a_time_is_in_the_organisations_zone_and_pause_button(app, staff, org):
    add_members(org, 1)
    doc = approved(staff)
    client = login_as(app, staff["editor"])
    client.form(f"/documents/{doc.id}/mailings",
                {"all_members": "1", "when": "later", "at": "2099-05-01T09:00"})
    mailing = db.session.execute(select(Mailing)).scalar_one()
    assert mailing.state == "scheduled"
    assert mailing.due_at.isoformat().startswith("2099-05-01T07:00")  # 09:00 in Stockholm
    client.form(f"/mailings/{mailing.id}/pause")
    db.session.refresh(mailing)
    assert mailing.state == "paused"
    client.form(f"/mailings/{mailing.id}/cancel")
    db.session.refresh(mailing)
    assert mailing.state == "cancelled"


def test_uncertain_rows_decided_on_the_page(app, staff, org, smtp):
    add_members(org, 1)
    mailing = mailings.create(staff["editor"], approved(staff), {"all_members": True})
    row = db.session.execute(select(Delivery)).scalar_one()
    row.state = "uncertain"
    mailing.state = "sending"
    db.session.commit()
    client = login_as(app, staff["editor"])
    assert "Send again" in client.get(f"/mailings/{mailing.id}").get_data(as_text=True)
    client.form(f"/mailings/{mailing.id}/deliveries/{row.id}/settle", {"outcome": "sent"})
    db.session.refresh(mailing)
    assert mailing.state == "finished" and to_members(smtp) == []


def test_cli_send_list_pause(app, runner, staff, org, smtp):
    add_members(org, 4)
    mailing = mailings.create(staff["editor"], approved(staff), {"all_members": True})
    listed = runner.invoke(args=["newsletters", "list"])
    assert f"{mailing.id}\tscheduled" in listed.output
    result = runner.invoke(args=["newsletters", "send", str(mailing.id)])
    assert result.exit_code == 0, result.output
    assert "finished" in result.output and "sent 4" in result.output
    assert len(to_members(smtp)) == 4
    other = mailings.create(staff["editor"], approved(staff, title="Två"),
                            {"all_members": True})
    assert runner.invoke(args=["newsletters", "pause", str(other.id)]).exit_code == 0
    assert runner.invoke(args=["newsletters", "resume", str(other.id)]).exit_code == 0
    assert runner.invoke(args=["newsletters", "cancel", str(other.id)]).exit_code == 0
    db.session.refresh(other)
    assert other.state == "cancelled"


def test_cli_progress_bar_spans_the_whole_send_out(app, runner, staff, org, smtp, monkeypatch):
    """Rows settled before the command starts (skipped, sent earlier) count as done, so the
    bar ends at its length (100 %)."""
    from commsdesk import cli_newsletters
    from commsdesk.audience import suppression

    add_members(org, 5)
    suppression.suppress(org.id, "medlem0@example.se", "manual")  # a skipped row
    db.session.commit()
    mailing = mailings.create(staff["editor"], approved(staff), {"all_members": True})
    sent_before = db.session.execute(select(Delivery).where(
        Delivery.mailing_id == mailing.id, Delivery.state == "queued")).scalars().first()
    sent_before.state = "sent"
    db.session.commit()
    bars = []
    real = cli_newsletters.click.progressbar

    def recording(**kwargs):
        bars.append(real(**kwargs))
        return bars[-1]
    monkeypatch.setattr(cli_newsletters.click, "progressbar", recording)
    result = runner.invoke(args=["newsletters", "send", str(mailing.id)])
    assert result.exit_code == 0, result.output
    assert "sent 4" in result.output and "skipped 1" in result.output
    assert bars[0].length == 5 and bars[0].pos == 5
    assert len(to_members(smtp)) == 3
