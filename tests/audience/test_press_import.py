"""Importing press contacts from CSV or XLSX on the press page: the member importer's
reading, header mapping and row checks; accepted rows written together (and put on the
chosen list), rejected rows reported with reasons; hostile files change nothing."""
import io
import urllib.parse

from conftest import make_org, make_user
from sqlalchemy import func, select

from commsdesk.audience import press
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, PressContact

from .files import csv_bytes, xlsx_bytes, zip_bomb

HEADER = ["Namn", "E-post", "Tidning", "Bevakning", "Telefon"]


def _post(client, name, data, press_list=""):
    return client.post("/press/import", data={
        "csrf_token": client.csrf_token(), "file": (io.BytesIO(data), name),
        "press_list": str(press_list)}, content_type="multipart/form-data")


def _contacts():
    return {c.email: c for c in db.session.execute(select(PressContact)).scalars()}


def test_csv_happy_path_onto_a_list(steward, office):
    lokala = press.save_list(office[1], None, "Lokala medier", [])
    data = csv_bytes([["Sofia Lind", "Sofia.Lind@Tidning.example", "Älvstads Tidning",
                       "kommunpolitik", "070-111 22 33"],
                      ["Jonas Berg", "jonas@radio.example", "Radio Älvstad", "", ""]],
                     header=HEADER)
    response = _post(steward, "press.csv", data, lokala.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 press contacts imported, 0 rows rejected" in page
    sofia = _contacts()["sofia.lind@tidning.example"]
    assert (sofia.name, sofia.outlet, sofia.beat, sofia.phone) == \
        ("Sofia Lind", "Älvstads Tidning", "kommunpolitik", "070-111 22 33")
    assert _contacts()["jonas@radio.example"].beat is None
    db.session.refresh(lokala)
    assert {c.email for c in lokala.contacts} == set(_contacts())
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "press_contacts.imported")).scalar_one()
    assert entry.data["imported"] == 2 and "sofia" not in str(entry.data).lower()
    assert "Import press contacts" in steward.get("/press").get_data(as_text=True)


def test_xlsx_with_english_headers(steward):
    data = xlsx_bytes([["Maja Holm", "maja@lansposten.example", "Länsposten", "politik"]],
                      header=["Name", "Email", "Outlet", "Beat"])
    assert "1 press contacts imported" in _post(steward, "press.xlsx", data).get_data(
        as_text=True)
    assert _contacts()["maja@lansposten.example"].outlet == "Länsposten"


def test_hostile_rows_are_rejected_with_reasons(steward, office):
    press.save_contact(office[1], None, {"email": "finns@redan.example", "name": "Finns"})
    rows = [["Ok", "ok@tidning.example", "", "", ""],
            ["=HYPERLINK(\"http://evil\")", "evil@tidning.example", "", "", ""],
            ["Fel", "inte-en-adress", "", "", ""],
            ["Dubbel", "OK@tidning.example", "", "", ""],
            ["Finns", "finns@redan.example", "", "", ""],
            ["Lång", "lang@tidning.example", "x" * 500, "", ""]]
    response = _post(steward, "press.csv", csv_bytes(rows, header=HEADER))
    page = response.get_data(as_text=True)
    assert "1 press contacts imported, 5 rows rejected" in page
    for reason in ("spreadsheet formula", "not a valid email address", "earlier in the file",
                   "already a press contact", "too long"):
        assert reason in page, reason
    assert set(_contacts()) == {"ok@tidning.example", "finns@redan.example"}
    report = urllib.parse.unquote(page.split('href="data:text/csv;charset=utf-8,')[1]
                                  .split('"')[0])
    assert "'=HYPERLINK" in report and "evil" not in str(_contacts())


def test_refused_files_change_nothing(steward, office):
    for name, data, message in [
            ("bomb.xlsx", zip_bomb(), "zip bomb"),
            ("tom.csv", b"", "empty"),
            ("utan.csv", csv_bytes([["Anna", "Tidning"]], header=["Namn", "Tidning"]),
             "No column with email addresses")]:
        response = _post(steward, name, data)
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    assert db.session.execute(select(func.count(PressContact.id))).scalar() == 0


def test_another_organisations_list_is_not_found(steward):
    other = make_user(make_org("annan"), "editor")
    theirs = press.save_list(other, None, "Deras lista", [])
    data = csv_bytes([["A", "a@tidning.example", "", "", ""]], header=HEADER)
    assert _post(steward, "press.csv", data, theirs.id).status_code == 404
    assert _contacts() == {}
