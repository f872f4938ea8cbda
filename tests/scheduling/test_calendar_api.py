"""GET /api/v1/calendar: the same entries as the pages, checked against the OpenAPI."""
from datetime import timedelta

import pytest
from conftest import api_as, publish_now

from commsdesk import documents

from .conftest import STOCKHOLM, soon


def test_entries_in_a_period(office):
    office.scheduled(soon(2), "Budgeten", shared=True)
    publish_now(office.editor, office.approved("Ute nu"))
    documents.create_document(office.editor, "op_ed", {"title": "Med deadline", "body": "x"},
                              deadline=soon(20).isoformat())
    office.scheduled(soon(2), "Högerns plan", editor=office.outsider_editor,
                     approver=office.outsider_approver)
    response = api_as(office.editor).get("/calendar")
    assert response.status_code == 200
    body = response.get_json()
    assert body["time_zone"] == "Europe/Stockholm"
    assert [(i["type"], i["title"]) for i in body["items"]] == [
        ("published", "Ute nu"), ("scheduled", "Budgeten"), ("deadline", "Med deadline")]
    scheduled = body["items"][1]
    assert scheduled["at"] == soon(2).isoformat()
    assert scheduled["local_at"] == soon(2).astimezone(STOCKHOLM).isoformat()
    assert scheduled["channels"][0]["name"] == "Newsroom"
    assert scheduled["state"] == "queued" and scheduled["can_reschedule"] is True
    assert scheduled["link"] == f"/documents/{scheduled['document']['id']}"
    assert body["items"][0]["url"].startswith("http://localhost/n/mitten/")
    partner = api_as(office.partner_editor).get("/calendar").get_json()
    assert [(i["title"], i["can_reschedule"]) for i in partner["items"]] == [
        ("Budgeten", False)]


def test_from_to_and_filters(office):
    office.scheduled(soon(2), "Pressen", kind="press_release")
    office.scheduled(soon(40), "Debatten", kind="op_ed")
    api = api_as(office.editor)

    def titles(**args):
        response = api.get("/calendar", query_string=args)
        assert response.status_code == 200
        return [i["title"] for i in response.get_json()["items"]]

    assert titles() == ["Pressen"]  # 31 days from today by default
    day = soon(40).astimezone(STOCKHOLM).date()
    assert titles(**{"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()}) == [
        "Debatten"]
    assert titles(**{"to": soon(60).isoformat()}) == ["Pressen", "Debatten"]
    everything = {"to": soon(60).isoformat()}
    assert titles(kind="op_ed", **everything) == ["Debatten"]
    assert titles(type="deadline,review", **everything) == []
    channel = api.get("/calendar").get_json()["items"][0]["channels"][0]["id"]
    assert titles(channel=str(channel), **everything) == ["Pressen", "Debatten"]


@pytest.mark.parametrize("args, field", [
    ({"from": "yesterday"}, "from"), ({"type": "later"}, "type"), ({"kind": "novel"}, "kind"),
    ({"channel": "x"}, "channel"), ({"from": "2026-01-10", "to": "2026-01-09"}, "to"),
    ({"from": "2026-01-01", "to": "2027-06-01"}, "to")])
def test_bad_arguments_are_422(office, args, field):
    response = api_as(office.editor).get("/calendar", query_string=args)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_needs_a_token(client):
    assert client.get("/api/v1/calendar").status_code == 401
