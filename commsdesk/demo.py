"""Swedish demo data for a fictional party group in a fictional municipality."""
import re
from datetime import timedelta

from sqlalchemy import select

from . import coalition, discussion, documents, outlets, people, workflow
from .audience import demo as audience_demo
from .extensions import db
from .models import User, utcnow
from .monitoring import demo as monitoring_demo
from .publishing import sender
from .times import organisation_zone

PASSWORD = "demo-commsdesk"
ORG = ("Mittenpartiet i Älvstad", "mitten-alvstad")
PARTNER = ("Gröna Älvstad", "grona-alvstad")
USERS = [
    ("drift@mitten.example", "Driftansvarig", "admin"),
    ("admin@mitten.example", "Karin Lund", "admin"),
    ("sekreterare@mitten.example", "Amir Hassan", "editor"),
    ("gruppledare@mitten.example", "Eva Sjöberg", "approver"),
    ("ledamot@mitten.example", "Johan Nilsson", "contributor"),
    ("sekreterare@grona.example", "Lina Berg", "editor"),
    ("gruppledare@grona.example", "Sara Ek", "approver"),
]

PRESS_BODY = """Mittenpartiet i Älvstad föreslår i sin budget för 2027 att kommunen bygger
300 nya förskoleplatser i Norra Älvstad och Bruksbacken, där köerna i dag är längst.

– Föräldrar ska inte behöva vänta i ett halvår på en plats. Det här är en fråga om
jämställdhet och om att hela Älvstad ska kunna växa, säger gruppledaren Eva Sjöberg.

Förslaget finansieras genom att kommunens lokalkostnader ses över och genom ett
tillfälligt investeringsutrymme på 45 miljoner kronor.

**Förslaget i korthet**

- 300 nya platser till hösten 2028
- två nya förskolor med tillagningskök
- utökat öppethållande för föräldrar som arbetar kvällstid
"""

OPED_V1 = """Den som bor i Västerby vet att bussen in till centrum går var annan timme –
om den går alls. För många äldre och unga betyder det att vardagen krymper.

Vi i Mittenpartiet vill att kollektivtrafiken ska fungera i hela kommunen.
"""

OPED_V2 = """Den som bor i Västerby vet att bussen in till centrum går varannan timme –
om den går alls. För många äldre och unga betyder det att vardagen krymper.

Vi i Mittenpartiet vill att kollektivtrafiken ska fungera i hela kommunen. Därför föreslår vi:

1. Anropsstyrd trafik i alla byar med fler än 200 invånare.
2. Halverad taxa för gymnasieelever under sommarlovet.
3. Pendelparkeringar med laddplatser vid de fem största hållplatserna.

Regionen och kommunen måste ta ett gemensamt ansvar. Det handlar inte om bussar –
det handlar om rätten att kunna bo kvar där man har sina rötter.
"""

LETTER_BODY = """I Älvstads Tidning den 14 november skriver signaturen ”Simmare” att badhuset
ska läggas ned. Det stämmer inte. Mittenpartiet har i stället föreslagit att renoveringen
tidigareläggs till 2027, så att simskolan kan fortsätta utan avbrott.
"""

NEWSLETTER_BODY = """Hej!

November har varit en intensiv månad i fullmäktige. Här är det viktigaste:

## Budgeten
Vårt förslag om 300 nya förskoleplatser röstas om den 9 december. Kom gärna och lyssna!

## Medlemsmöte
Torsdag 4 december kl. 18.30 i Folkets hus, lilla salen. Vi bjuder på fika.

Varma hälsningar,
Amir Hassan, politisk sekreterare
"""


READY_NEWSLETTER_BODY = """Tack för att du är med i Mittenpartiet i Älvstad. Det här har vi arbetat
med den senaste tiden:

## Förskolan
Vi har lagt fram vårt förslag om 300 nya förskoleplatser i Norra Älvstad och Bruksbacken.

## Kollektivtrafiken
Tillsammans med Gröna Älvstad kräver vi anropsstyrd trafik i alla byar med fler än 200 invånare.

## Kom med och påverka
Kallelsen till nästa medlemsmöte kommer i ett eget brev. Hör gärna av dig med frågor och idéer!

Varma hälsningar,
Amir Hassan, politisk sekreterare
"""

MEETING_AGENDA = """1. Mötets öppnande
2. Val av ordförande och sekreterare för mötet
3. Rapport från kommunfullmäktige
4. Budgeten för 2027
5. Nomineringar inför valet
6. Övriga frågor
7. Mötets avslutande"""


def _unwrap(text):
    """Join the source lines of each paragraph, as a writer would type them in the editor;
    headings and list items keep their own lines."""
    def block(lines):
        out = []
        for line in lines:
            starts_item = re.match(r"(#|-|\d+\.|\*\*)", line)
            if out and not starts_item and not out[-1].startswith("#"):
                out[-1] += " " + line
            else:
                out.append(line)
        return "\n".join(out)

    return "\n\n".join(block(p.split("\n")) for p in text.strip().split("\n\n")) + "\n"


PRESS_BODY, OPED_V1, OPED_V2, LETTER_BODY, NEWSLETTER_BODY, READY_NEWSLETTER_BODY = (
    _unwrap(t) for t in (PRESS_BODY, OPED_V1, OPED_V2, LETTER_BODY, NEWSLETTER_BODY,
                         READY_NEWSLETTER_BODY))


def loaded():
    """Whether the demo organisation exists."""
    return db.session.execute(
        select(User.id).where(User.email == USERS[0][0])
    ).first() is not None


def load():
    """Create the demo organisations, users and documents."""
    org = people.create_organisation(*ORG)
    partner = people.create_organisation(*PARTNER)
    users = {}
    for email, name, role in USERS:
        home = partner if email.endswith("@grona.example") else org
        users[email] = people.create_user(email, name, role, home, password=PASSWORD,
                                          superuser=email.startswith("drift@"))
    secretary = users["sekreterare@mitten.example"]
    member = users["ledamot@mitten.example"]
    now = utcnow()

    press = documents.create_document(
        secretary, "press_release",
        {"title": "Mittenpartiet vill bygga 300 nya förskoleplatser i Älvstad",
         "lead": "Mittenpartiet i Älvstad vill korta förskolekön med 300 nya platser till 2028.",
         "body": PRESS_BODY,
         "fields": {"contact": "Amir Hassan, politisk sekreterare\n070-123 45 67\n"
                               "amir.hassan@mitten.example",
                    "embargo": (now + timedelta(days=2)).isoformat()}},
        tags=["förskola", "budget"], deadline=now + timedelta(days=1),
    )
    oped = documents.create_document(
        secretary, "op_ed",
        {"title": "Kollektivtrafiken måste fungera i hela Älvstad", "lead": "", "body": OPED_V1,
         "fields": {"outlet": "Älvstads Tidning, debatt", "length_limit": 4500}},
        tags=["kollektivtrafik"], deadline=now + timedelta(days=4),
    )
    content = dict(oped.current_revision.content, body=OPED_V2,
                   lead="Bussen är ingen lyx – den är förutsättningen för att kunna bo kvar.")
    documents.save_revision(secretary, oped, content, oped.current_revision_id,
                            note="Tre konkreta förslag")
    letter = documents.create_document(
        member, "letter",
        {"title": "Badhuset ska inte läggas ned", "body": LETTER_BODY,
         "fields": {"outlet": "Älvstads Tidning, insändare"}},
        tags=["badhuset"],
    )
    coalition.add_signatory(secretary, letter, "Johan Nilsson", "ledamot, Mittenpartiet")
    documents.create_document(
        secretary, "newsletter",
        {"title": "Medlemsbrev november", "body": NEWSLETTER_BODY,
         "fields": {"subject": "Budget, förskolor och medlemsmöte 4 december",
                    "preheader": "Det här har hänt i fullmäktige i november"}},
        tags=["medlemsbrev"], deadline=now + timedelta(days=7),
    )
    documents.create_document(
        secretary, "social_post",
        {"title": "Förskoleplatser – sociala medier",
         "variants": {
             "x": "300 nya förskoleplatser i Älvstad – det är vårt budgetkrav. "
                  "Läs mer: https://mitten.example/forskola #älvstad",
             "bluesky": "Ingen förälder i Älvstad ska behöva vänta ett halvår på förskoleplats. "
                        "Vi föreslår 300 nya platser till 2028. 🧸",
             "mastodon": "Mittenpartiet i Älvstad föreslår 300 nya förskoleplatser i Norra "
                         "Älvstad och Bruksbacken. https://mitten.example/forskola",
             "facebook": "", "linkedin": "", "instagram": ""}},
        tags=["förskola"],
    )
    documents.create_document(
        secretary, "web_article",
        {"title": "Så vill vi förbättra kollektivtrafiken",
         "lead": "Tre förslag för bussar som går när människor behöver dem.",
         "body": OPED_V2},
        tags=["kollektivtrafik"],
    )
    db.session.commit()
    _review_demo(users, press, oped, letter)
    _newsroom_demo(users)
    _outlets_demo(users)
    audience_demo.load(users["sekreterare@mitten.example"], users["admin@mitten.example"])
    _mailing_demo(users)
    monitoring_demo.load(users)


def _review_demo(users, press, oped, letter):
    """Texts in every stage of review: approved, agreed by one party of two, overdue."""
    secretary, leader = users["sekreterare@mitten.example"], users["gruppledare@mitten.example"]
    partner_secretary = users["sekreterare@grona.example"]
    workflow.submit(secretary, press, reviewer_ids=[leader.id])
    workflow.approve(leader, press)

    coalition.share(secretary, oped, PARTNER[1])
    coalition.add_signatory(secretary, oped, "Eva Sjöberg", "gruppledare, Mittenpartiet")
    coalition.add_signatory(partner_secretary, oped, "Sara Ek", "gruppledare, Gröna Älvstad")
    workflow.submit(secretary, oped, due_at=utcnow() + timedelta(days=1))
    discussion.add_comment(partner_secretary, oped,
                       "Kan vi skriva ut hur många pendelparkeringar det gäller? @sekreterare",
                       quote="Pendelparkeringar med laddplatser")
    content = dict(oped.current_revision.content)
    content["body"] = content["body"].replace(
        "vid de fem största hållplatserna.", "vid de fem största hållplatserna, 400 platser.")
    discussion.create_suggestion(partner_secretary, oped, content, oped.current_revision_id,
                             note="Konkret antal, som vi sa på samrådet.")
    workflow.approve(leader, oped)

    workflow.submit(users["ledamot@mitten.example"], letter, reviewer_ids=[leader.id],
                    due_at=utcnow() + timedelta(hours=1))
    # An overdue review to show: a due time in the past is refused when asked, so age it.
    for request in workflow.open_requests_for(letter):
        request.due_at = utcnow() - timedelta(hours=3)
    db.session.commit()


# Texts already out in the newsrooms: (author, approver, kind, content, tags, embargo).
NEWSROOM_TEXTS = [
    ("sekreterare@mitten.example", "gruppledare@mitten.example", "press_release",
     {"title": "Trygga skolvägar i Västerby före sommaren",
      "lead": "Mittenpartiet vill bygga gång- och cykelbana längs Skolvägen redan i vår.",
      "body": "Varje morgon går över 200 barn längs Skolvägen i Västerby, där bilarna kör i "
              "50 km/h och trottoaren tar slut vid kyrkan.\n\n– Vi kan inte vänta på nästa "
              "budget. Barnen ska kunna gå till skolan utan att föräldrarna oroar sig, säger "
              "gruppledaren Eva Sjöberg.",
      "fields": {"contact": "Amir Hassan, politisk sekreterare\n070-123 45 67"}},
     ["skola", "trafik"], None),
    ("sekreterare@mitten.example", "gruppledare@mitten.example", "op_ed",
     {"title": "Unga i Älvstad behöver bostäder de har råd med",
      "lead": "Hyresrätter för unga är en fråga om att kunna stanna i kommunen.",
      "body": "Var tredje ung vuxen i Älvstad bor kvar hemma längre än de vill. Vi föreslår "
              "att det kommunala bostadsbolaget bygger 150 små lägenheter med rimlig hyra.",
      "fields": {"outlet": "Älvstads Tidning, debatt", "published_in": "Älvstads Tidning",
                 "published_url": "https://alvstadstidning.example/debatt/unga-bostader"}},
     ["bostäder"], None),
    ("sekreterare@mitten.example", "gruppledare@mitten.example", "web_article",
     {"title": "Så arbetar vi i kommunfullmäktige",
      "lead": "Sju ledamöter, ett program och öppna gruppmöten varje månad.",
      "body": "Mittenpartiet har sju ledamöter i kommunfullmäktige. Gruppmötena är öppna "
              "för alla medlemmar – välkommen!"},
     ["fullmäktige"], None),
    ("sekreterare@mitten.example", "gruppledare@mitten.example", "press_release",
     {"title": "Mittenpartiet presenterar sin skuggbudget för 2027",
      "lead": "Skuggbudgeten satsar på förskola, äldreomsorg och kollektivtrafik.",
      "body": "Mittenpartiet i Älvstad presenterar i dag sin skuggbudget för 2027.",
      "fields": {"contact": "Amir Hassan, politisk sekreterare\n070-123 45 67"}},
     ["budget"], timedelta(hours=1)),
    ("sekreterare@grona.example", "gruppledare@grona.example", "press_release",
     {"title": "Gröna Älvstad vill plantera 1 000 träd i centrum",
      "lead": "Fler träd ger svalka på sommaren och renare luft året om.",
      "body": "Gröna Älvstad föreslår att kommunen planterar 1 000 träd i centrum till 2030.",
      "fields": {"contact": "Lina Berg, politisk sekreterare"}},
     ["miljö"], None),
]


def _newsroom_demo(users):
    """Publish a few texts to the newsrooms as the office would (approve, publish, the worker
    sends); the budget press release is under embargo for an hour after loading."""
    for author, approver, kind, content, tags, embargo in NEWSROOM_TEXTS:
        content = dict(content, fields=dict(content.get("fields") or {}))
        if embargo:
            content["fields"]["embargo"] = (utcnow() + embargo).isoformat()
        doc = documents.create_document(users[author], kind, content, tags=tags)
        workflow.submit(users[author], doc, reviewer_ids=[users[approver].id])
        workflow.approve(users[approver], doc)
        workflow.publish(users[author], doc)
    sender.send_due()


# (secretary, name, desk address, length limit, wants exclusive, note, reply days)
OUTLETS = [
    ("sekreterare@mitten.example", "Älvstads Tidning, debatt", "debatt@alvstadstidning.example",
     4500, True, "Vill ha ensamrätt tills de svarat; publicerar oftast inom en vecka.", 7),
    ("sekreterare@mitten.example", "Älvstads Tidning, insändare",
     "insandare@alvstadstidning.example", 2000, False, "", 5),
    ("sekreterare@mitten.example", "Länsposten", "debatt@lansposten.example", 5000, True,
     "Ensamrätt i hela länet.", 10),
    ("sekreterare@grona.example", "Länsposten", "debatt@lansposten.example", 5000, True,
     "Ensamrätt i hela länet.", 10),
]


def _outlets_demo(users):
    """The newspapers each party offers its op-eds and letters to."""
    for secretary, name, email, limit, exclusive, note, days in OUTLETS:
        outlets.save(users[secretary], {
            "name": name, "email": email, "length_limit": limit, "wants_exclusive": exclusive,
            "exclusivity_note": note, "reply_days": days})


def _next_month_thursday(org):
    """The second Thursday of next month in the organisation's zone (at least a week away,
    so the reply date before it is in the future too)."""
    today = utcnow().astimezone(organisation_zone(org)).date()
    eighth = (today.replace(day=1) + timedelta(days=32)).replace(day=8)
    return eighth + timedelta(days=(3 - eighth.weekday()) % 7)


def _mailing_demo(users):
    """An approved newsletter and an approved members' meeting notice, ready to send by email
    to a segment at once."""
    secretary, leader = users["sekreterare@mitten.example"], users["gruppledare@mitten.example"]
    day = _next_month_thursday(secretary.organisation)
    newsletter = documents.create_document(
        secretary, "newsletter",
        {"title": "Medlemsbrev: förskolan, bussarna och nästa medlemsmöte",
         "body": READY_NEWSLETTER_BODY,
         "fields": {"subject": "Nytt från Mittenpartiet i Älvstad",
                    "preheader": "Förskoleplatser, kollektivtrafik och hur du kan påverka"}},
        tags=["medlemsbrev"])
    meeting = documents.create_document(
        secretary, "meeting_notice",
        {"title": "Kallelse till medlemsmöte i Älvstad",
         "body": "Välkommen till medlemsmöte! Vi bjuder på fika från kl. 18.00.",
         "fields": {"starts_at": f"{day.isoformat()}T18:30", "ends_at": f"{day.isoformat()}T20:30",
                    "place": "Folkets hus, lilla salen, Storgatan 12, Älvstad",
                    "agenda": MEETING_AGENDA,
                    "rsvp_by": f"{(day - timedelta(days=2)).isoformat()}T12:00"}},
        tags=["medlemsmöte"])
    for doc in (newsletter, meeting):
        workflow.submit(secretary, doc, reviewer_ids=[leader.id])
        workflow.approve(leader, doc)
