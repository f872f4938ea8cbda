"""Demo monitoring for the demo organisation: four sources (the local paper, the
municipality's news, an opposition party and the municipality's meeting documents), items
in every triage state, among them a 40-page agenda with "förskola" on page 37, and two
watch lists (commsdesk.demo.load calls this).

The sources are fictional, so they are stored paused (active=False): the worker never
fetches them, and the sources page shows them as paused with a successful last check. The
items are stored through items.store, as a poll would store them."""
import hashlib
from datetime import timedelta

from ..extensions import db
from ..models import ItemNote, Source, SourceCheck, WatchList, utcnow
from . import items

# (key, kind, name, url, site_url, interval in minutes)
SOURCES = [
    ("tidning", "feed", "Älvstads Tidning – nyheter", "https://www.alvstadstidning.se/nyheter/rss",
     "https://www.alvstadstidning.se/", 30),
    ("kommun", "feed", "Älvstads kommun – nyheter", "https://www.alvstad.se/nyheter.rss",
     "https://www.alvstad.se/", 60),
    ("framsteg", "feed", "Framstegspartiet i Älvstad", "https://alvstad.framstegspartiet.se/feed/",
     "https://alvstad.framstegspartiet.se/", 120),
    ("handlingar", "documents_page", "Älvstads kommun – möteshandlingar",
     "https://www.alvstad.se/kommun-och-politik/moten-och-handlingar",
     "https://www.alvstad.se/", 240),
]

# (source key, hours ago, triage state, title, path, summary)
NEWS = [
    ("tidning", 2, "flagged", "Kön till förskolan i Norra Älvstad växer igen",
     "/nyheter/forskolekon-vaxer",
     "Över 140 barn står nu i kö till förskola i Norra Älvstad. Väntetiden är i snitt fem "
     "månader, visar kommunens egna siffror."),
    ("tidning", 5, "new", "Föräldrar protesterar mot stängd förskola i Bruksbacken",
     "/nyheter/protest-bruksbacken",
     "Ett sextiotal föräldrar samlades utanför kommunhuset på måndagen. De vill att "
     "förskolan Solrosen får vara kvar."),
    ("tidning", 9, "flagged", "Bussen till Västerby dras in på helgerna från januari",
     "/nyheter/buss-vasterby-helg",
     "Regionens kollektivtrafiknämnd har beslutat att linje 7 inte går lördagar och söndagar "
     "från årsskiftet."),
    ("tidning", 20, "new", "Budgeten: 40 miljoner mindre till skolan?",
     "/nyheter/budget-skolan",
     "Styrets förslag till budget för 2027 innebär besparingar i skolan, enligt oppositionen. "
     "Kommunstyrelsens ordförande säger att pengarna följer elevantalet."),
    ("tidning", 30, "read", "Nya cykelbanor längs Storgatan klara i vår",
     "/nyheter/cykelbanor-storgatan",
     "Arbetet med de nya cykelbanorna går enligt plan och ska vara klart i april."),
    ("tidning", 52, "archived", "Simhallen håller öppet över jul",
     "/nyheter/simhallen-jul", "Simhallen har öppet som vanligt under jul- och nyårshelgerna."),
    ("kommun", 4, "new", "Samråd om ny detaljplan för förskola vid Ekbacken",
     "/nyheter/samrad-ekbacken",
     "Kommunen bjuder in till samråd om en detaljplan som gör det möjligt att bygga en ny "
     "förskola med sex avdelningar vid Ekbacken."),
    ("kommun", 26, "read", "Kommunstyrelsens förslag till budget för 2027 är klart",
     "/nyheter/budget-2027",
     "Förslaget behandlas av kommunfullmäktige den 9 december. Handlingarna finns på "
     "kommunens webbplats."),
    ("kommun", 34, "new", "Ny busslinje 12 mellan centrum och sjukhuset",
     "/nyheter/linje-12", "Från den 8 januari går linje 12 var tjugonde minut på vardagar."),
    ("kommun", 60, "archived", "Planerat vattenavbrott i Västerby 3 december",
     "/nyheter/vattenavbrott-vasterby",
     "Vattnet stängs av mellan klockan 9 och 14 på grund av ledningsarbete."),
    ("framsteg", 7, "new", "Framstegspartiet vill lägga ned linje 7",
     "/2026/11/linje-7", "Framstegspartiet vill ersätta linje 7 med anropsstyrd trafik."),
    ("framsteg", 28, "read", "Vår skuggbudget: mer till äldreomsorgen",
     "/2026/11/skuggbudget",
     "Framstegspartiet lägger 25 miljoner mer på äldreomsorgen och sänker skatten med 25 öre."),
]

AGENDA_PAGE_37 = (
    "Ärende 37. Utbyggnad av förskola i Norra Älvstad\n"
    "Barn- och utbildningsnämnden föreslår att kommunfullmäktige beslutar att bygga två nya "
    "förskolor med sammanlagt tolv avdelningar, en i Norra Älvstad och en i Bruksbacken. "
    "Investeringen beräknas till 95 miljoner kronor.")


def _agenda_pages():
    """Forty short pages of an agenda; "förskola" only on page 37."""
    topics = ("detaljplan för kvarteret Laxen", "taxa för vatten och avlopp",
              "motion om belysning i Stadsparken", "val av nämndemän",
              "revisionsrapport om räddningstjänsten")
    pages = [f"Kallelse till kommunfullmäktige 9 december 2026 – sida {n}\n"
             f"Ärende {n}. {topics[n % len(topics)].capitalize()}. "
             f"Kommunstyrelsen föreslår att fullmäktige bifaller förslaget."
             for n in range(1, 41)]
    pages[0] = ("Kallelse till kommunfullmäktige\nTisdag 9 december 2026 kl. 18.00, "
                "Stadshuset, fullmäktigesalen\nÄrendelista och handlingar")
    pages[36] = AGENDA_PAGE_37
    return pages


DOCUMENTS = [
    (3, "new", "Kallelse kommunfullmäktige 9 december 2026",
     "/download/18.4f1a/kallelse-kf-2026-12-09.pdf", _agenda_pages()),
    (70, "archived", "Protokoll kommunfullmäktige 28 oktober 2026",
     "/download/18.4f1a/protokoll-kf-2026-10-28.pdf",
     ["Protokoll kommunfullmäktige 28 oktober 2026\nNärvarande: 49 ledamöter",
      "§ 112 Delårsrapport januari–augusti godkänns.",
      "§ 113 Motion om gratis kollektivtrafik för pensionärer avslås."]),
]


def load(users):
    """Create the demo sources, watch lists, items (in their triage states) and a note."""
    secretary, leader = users["sekreterare@mitten.example"], users["gruppledare@mitten.example"]
    now = utcnow()
    sources = {key: _source(secretary, now, key, *rest) for key, *rest in SOURCES}
    _watch_lists(secretary, leader)
    stored = {}
    for key, hours, state, title, path, summary in NEWS:
        source = sources[key]
        entry = items.Entry(link=source.site_url.rstrip("/") + path, title=title,
                            summary_html=f"<p>{summary}</p>", text=summary,
                            published_at=now - timedelta(hours=hours))
        stored[title] = _store(source, entry, state, now - timedelta(hours=hours))
    for hours, state, title, path, pages in DOCUMENTS:
        source = sources["handlingar"]
        text = "\n\n".join(pages)
        entry = items.Entry(kind="pdf", link=source.site_url.rstrip("/") + path, title=title,
                            text=text, pages=pages,
                            content_hash=hashlib.sha256(text.encode()).hexdigest(),
                            published_at=now - timedelta(hours=hours))
        stored[title] = _store(source, entry, state, now - timedelta(hours=hours))
    first = stored[NEWS[0][3]]
    first.assigned_to_id = secretary.id
    db.session.add(ItemNote(item_id=first.id, author_id=secretary.id,
                            body="Ta upp på gruppmötet – vårt förslag om 300 platser passar "
                                 "som svar. Insändare?"))
    db.session.commit()


def _source(creator, now, key, kind, name, url, site_url, interval):
    source = Source(organisation_id=creator.organisation_id, kind=kind, name=name, url=url,
                    site_url=site_url, interval_minutes=interval, active=False,
                    created_by_id=creator.id, last_polled_at=now, last_success_at=now)
    db.session.add(source)
    db.session.flush()
    db.session.add(SourceCheck(source_id=source.id, at=now, outcome="ok", status=200,
                               new_items=0, duration_ms=180))
    return source


def _watch_lists(secretary, leader):
    """School and preschool told at once to the secretary; the budget in the group leader's
    daily digest."""
    for name, terms, delivery, recipient in (
            ("Skola och förskola", ["förskola", "skola", '"nya förskolor"'], "instant",
             secretary),
            ("Budget", ["budget"], "digest", leader)):
        db.session.add(WatchList(organisation_id=secretary.organisation_id, name=name,
                                 terms=terms, delivery=delivery, created_by_id=secretary.id,
                                 recipients=[recipient]))
    db.session.flush()


def _store(source, entry, state, fetched_at):
    """Store one entry as a poll at `fetched_at` would, then put it in its triage state."""
    [item], _ = items.store(source, [entry], now=fetched_at)
    item.state = state
    return item
