"""Demo audience for the demo organisation: members in two branches with tags, two
segments, a press list with three journalists, and email settings with the signup form open
(commsdesk.demo.load calls this)."""
from datetime import date

from sqlalchemy import insert

from ..extensions import db
from ..models import TOPICS, Member, utcnow
from . import press, segments, settings

FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Mikael",
         "Lena", "Anders", "Fatima", "Ali", "Ingrid", "Nils", "Elin", "Oskar", "Hanna", "Emil")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jönsson")
BRANCHES = ("Centrum", "Norra Älvstad")
TAGS = (["skola"], ["äldreomsorg"], ["skola", "kollektivtrafik"], ["kollektivtrafik"], [])
CONSENT_TEXT = ("Jag vill få Mittenpartiet i Älvstads medlemsbrev och kallelser till möten "
                "med e-post. Jag vet att uppgiften om att jag prenumererar visar politisk "
                "åskådning och att partiet sparar den så länge jag prenumererar. Jag kan "
                "avsluta när som helst med länken i varje brev.")
JOURNALISTS = (
    ("Sofia Lind", "sofia.lind@alvstadstidning.example", "Älvstads Tidning", "kommunpolitik"),
    ("Jonas Berg", "jonas.berg@radio-alvstad.example", "Radio Älvstad", "nyheter"),
    ("Maja Holm", "maja.holm@lansposten.example", "Länsposten", "politik"),
)


def load(secretary, admin):
    """Create the demo members (in one insert), segments, press list and email settings."""
    now = utcnow()
    rows = []
    for i in range(36):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        rows.append({
            "organisation_id": secretary.organisation_id, "name": f"{first} {last}",
            "email": f"{first}.{last}.{i}@medlem.example".lower().replace("ö", "o"),
            "phone": f"070-{100 + i} {10 + i:02d} {20 + i:02d}",
            "branch": BRANCHES[i % 2], "tags": TAGS[i % len(TAGS)], "topics": list(TOPICS),
            "state": "unsubscribed" if i == 35 else "subscribed",
            "consent_source": "import medlemsregister.xlsx", "consent_at": now,
            "member_since": date(2010 + i % 15, 1 + i % 12, 1 + i % 28), "soft_bounces": 0,
            "created_at": now, "updated_at": now})
    db.session.execute(insert(Member.__table__), rows)
    db.session.commit()
    segments.save(secretary, None, "Skolintresserade", {"tags": ["skola"]})
    segments.save(secretary, None, "Norra Älvstad", {"branches": ["Norra Älvstad"]})
    contacts = [press.save_contact(secretary, None, {"name": name, "email": email,
                                                     "outlet": outlet, "beat": beat})
                for name, email, outlet, beat in JOURNALISTS]
    press.save_list(secretary, None, "Lokala medier", [c.id for c in contacts])
    settings.save(admin, admin.organisation, {
        "from_name": "Mittenpartiet i Älvstad", "signup_open": "1",
        "consent_text": CONSENT_TEXT})
