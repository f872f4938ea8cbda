"""The documents every benchmark runs against: realistic Swedish text, bulk-loaded.

Two organisations of n documents each (1-3 revisions, tags), inserted with SQLAlchemy Core so
that 20,000 documents load in seconds; where the schema has coalition shares, the second
organisation shares one document in a hundred with the first.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, insert, text, update

from commsdesk import documents, kinds, people
from commsdesk.extensions import db
from commsdesk.models import Document, Revision, Tag, User, document_tags

PASSWORD = "bench horse battery staple"
SEED = 20260101

# fmt: off
COMMON = [
    "och", "att", "det", "som", "en", "på", "är", "för", "med", "till", "av", "inte", "vi",
    "de", "har", "kan", "ska", "om", "men", "också", "alla", "kommunen", "regionen",
    "förslaget", "beslutet", "invånare", "ansvar", "framtid", "trygghet", "ekonomi",
    "satsning", "miljoner", "kronor", "fullmäktige", "nämnden", "medborgare", "utveckling",
    "arbete", "välfärd", "hållbar", "långsiktig", "lokala", "viktigt", "behöver", "vill",
    "kräver", "föreslår", "genomför", "ökar", "minskar", "under", "efter", "inför", "året",
    "nästa", "samtidigt", "därför", "dessutom", "tillsammans", "partiet", "oppositionen",
    "majoriteten", "styret", "verkligheten", "människor", "familjer", "barn", "unga", "äldre",
    "staden", "byarna", "resurser", "prioritera",
]
TOPICS = {  # tag name: words that only documents about this topic use
    "Skola": ["skolan", "förskolan", "lärare", "elever", "undervisningen", "läxhjälp",
              "skolgården"],
    "Vård": ["vårdcentralen", "sjuksköterskor", "väntetiderna", "akuten", "äldreomsorgen",
             "hemtjänsten"],
    "Trafik": ["kollektivtrafiken", "bussarna", "pendeltågen", "cykelbanor", "vägarna",
               "tågstationen"],
    "Bostäder": ["bostäder", "hyresrätter", "bostadsbyggandet", "detaljplanen", "bostadskön"],
    "Klimat": ["klimatet", "utsläppen", "solceller", "laddstolpar", "klimatmålen"],
    "Trygghet": ["polisen", "brottsligheten", "ordningsvakter", "gatubelysningen"],
    "Kultur": ["biblioteket", "kulturskolan", "föreningslivet", "idrottshallen", "simhallen"],
    "Jobb": ["arbetslösheten", "företagare", "näringslivet", "praktikplatser", "sommarjobb"],
    "Budget": ["skattesatsen", "budgetförslaget", "effektiviseringar", "besparingarna"],
    "Landsbygd": ["landsbygden", "bredbandet", "glesbygden", "servicepunkter", "lanthandeln"],
}
# fmt: on
EXTRA_TAGS = ["Valrörelse", "Brådskande", "Internt", "Debatt"]
KIND_WEIGHTS = {
    "press_release": 30,
    "social_post": 25,
    "web_article": 20,
    "newsletter": 10,
    "op_ed": 10,
    "letter": 5,
}
STATE_WEIGHTS = {
    "draft": 35,
    "in_review": 10,
    "changes_requested": 5,
    "approved": 10,
    "scheduled": 5,
    "published": 30,
    "archived": 5,
}
OUTLETS = ["Dagens Nyheter", "Svenska Dagbladet", "Aftonbladet", "Expressen", "lokaltidningen"]
ORGANISATIONS = (("mitten", "Mittenpartiet Storstad"), ("kusten", "Kustpartiet"))


class TextMaker:
    """Sentences drawn from per-topic pools, so that building 20,000 documents stays quick;
    a topic's own words appear only in documents about that topic."""

    POOL = 300

    def __init__(self, rng):
        self.rng = rng
        self.pools = {t: [self._sentence(t) for _ in range(self.POOL)] for t in TOPICS}

    def _sentence(self, topic, low=6, high=14):
        rng = self.rng
        words = rng.choices(COMMON, k=rng.randint(low, high))
        if rng.random() < 0.6:
            words.insert(rng.randrange(len(words) + 1), rng.choice(TOPICS[topic]))
        return " ".join(words).capitalize() + "."

    def sentence(self, topics):
        """A sentence about one of topics."""
        return self.rng.choice(self.pools[self.rng.choice(topics)])

    def title(self, topics):
        """A title with a word of the first topic."""
        words = self.rng.choices(COMMON, k=self.rng.randint(3, 7))
        words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(TOPICS[topics[0]]))
        return " ".join(words).capitalize()

    def draft(self, kind, topics):
        """Everything of a document but the choice of how much of the body a revision has."""
        rng = self.rng
        fields = {}
        spec_names = {s.name for s in kinds.KINDS[kind].fields}
        if "contact" in spec_names:
            fields["contact"] = "Presstjänsten, 08-123 456 78"
        if "outlet" in spec_names:
            fields["outlet"] = rng.choice(OUTLETS)
            fields["signatories"] = "Anna Andersson\nBo Berg"
        paragraphs = [
            " ".join(self.sentence(topics) for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(2, 6))
        ]
        draft = {
            "kind": kind,
            "title": self.title(topics),
            "lead": self.sentence(topics),
            "paragraphs": paragraphs,
            "fields": fields,
        }
        if kinds.KINDS[kind].platforms:
            draft["paragraphs"] = paragraphs[:1]
            draft["variants"] = {
                p: self.sentence(topics) for p in kinds.KINDS[kind].platforms if rng.random() < 0.6
            }
        if "subject" in spec_names:
            fields["subject"] = draft["title"]
        return draft

    def revision(self, draft, number, of):
        """Content of revision number (1-based) of of: earlier ones have less of the body."""
        paragraphs = draft["paragraphs"]
        keep = max(1, len(paragraphs) - (of - number))
        data = {
            "title": draft["title"] if number == of else draft["title"] + " (utkast)",
            "lead": draft["lead"],
            "body": "\n\n".join(paragraphs[:keep]),
            "fields": draft["fields"],
            "variants": draft.get("variants"),
        }
        return documents.normalise_content(draft["kind"], data)


@dataclass(frozen=True)
class Corpus:
    """What was loaded, and how the benchmarks get in: the first organisation's editor."""

    email: str
    token: str
    documents: int
    revisions: int
    shared: int


def weighted(rng, weights):
    """One key of weights, drawn with the values as weights."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def returned_ids(conn, table, rows):
    """Bulk-insert rows into table; their new ids, in the order of rows."""
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return conn.execute(statement, rows).scalars().all()


def plan_document(rng, maker, now, org_id, user_ids):
    """One document: its row, the contents of its revisions, its tag names."""
    kind = weighted(rng, KIND_WEIGHTS)
    topics = rng.sample(list(TOPICS), rng.choice((1, 1, 1, 2)))
    draft = maker.draft(kind, topics)
    n_revs = rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
    created = now - timedelta(days=rng.uniform(0, 730))
    updated = created + (now - created) * rng.random()
    contents = [maker.revision(draft, i, n_revs) for i in range(1, n_revs + 1)]
    deadline = (now + timedelta(days=rng.uniform(-30, 60))) if rng.random() < 0.25 else None
    tags = {t for t in topics if rng.random() < 0.9}
    if rng.random() < 0.3:
        tags.add(rng.choice(EXTRA_TAGS))
    row = {
        "organisation_id": org_id,
        "kind": kind,
        "state": weighted(rng, STATE_WEIGHTS),
        "owner_id": rng.choice(user_ids),
        "current_revision_id": None,
        "deadline": deadline,
        "title": contents[-1]["title"],
        "search_text": documents._search_text(contents[-1]),
        "created_at": created,
        "updated_at": updated,
    }
    return row, contents, tags


def insert_revisions(conn, doc_ids, plans, user_ids, rng):
    """Revisions in rounds, so that each one can point at its parent; the current ones."""
    current, parent = {}, {}
    for number in (1, 2, 3):
        rows, owners = [], []
        for doc_id, (doc, contents, _tags) in zip(doc_ids, plans):
            if len(contents) < number:
                continue
            created, updated = doc["created_at"], doc["updated_at"]
            content = contents[number - 1]
            share = (number - 1) / max(1, len(contents) - 1)
            rows.append(
                {
                    "document_id": doc_id,
                    "number": number,
                    "parent_id": parent.get(doc_id),
                    "author_id": rng.choice(user_ids),
                    "content": content,
                    "content_hash": documents.content_hash(content),
                    "note": "",
                    "created_at": created + (updated - created) * share,
                }
            )
            owners.append(doc_id)
        for doc_id, rev_id in zip(owners, returned_ids(conn, Revision.__table__, rows)):
            parent[doc_id] = current[doc_id] = rev_id
    return current


def fill_organisation(conn, org_id, user_ids, n, rng, maker, now):
    """Bulk-insert n documents (1-3 revisions each, tags) for one organisation."""
    tag_names = list(TOPICS) + EXTRA_TAGS
    tag_rows = [{"organisation_id": org_id, "name": name} for name in tag_names]
    tag_id = dict(zip(tag_names, returned_ids(conn, Tag.__table__, tag_rows)))
    plans = [plan_document(rng, maker, now, org_id, user_ids) for _ in range(n)]
    doc_ids = returned_ids(conn, Document.__table__, [plan[0] for plan in plans])
    current = insert_revisions(conn, doc_ids, plans, user_ids, rng)
    docs_t = Document.__table__
    conn.execute(
        update(docs_t)
        .where(docs_t.c.id == bindparam("b_id"))
        .values(current_revision_id=bindparam("b_rev")),
        [{"b_id": d, "b_rev": r} for d, r in current.items()],
    )
    conn.execute(
        insert(document_tags),
        [
            {"document_id": doc_id, "tag_id": tag_id[name]}
            for doc_id, (_doc, _contents, tags) in zip(doc_ids, plans)
            for name in sorted(tags)
        ],
    )
    return doc_ids, sum(len(plan[1]) for plan in plans)


def share_some(conn, orgs, doc_ids, rng, now):
    """Where the schema has coalition shares (documents one organisation shares with another),
    the second organisation shares one document in a hundred with the first, so that the
    tenancy filter's "or shared with us" branch has rows to find. Returns how many."""
    shares = db.metadata.tables.get("shares")
    if shares is None:
        return 0
    (owner_org, _l, _e, _u), (partner_org, partner_login, _e2, _u2) = orgs
    picked = rng.sample(doc_ids[partner_org], max(1, len(doc_ids[partner_org]) // 100))
    conn.execute(
        insert(shares),
        [
            {
                "document_id": doc_id,
                "organisation_id": owner_org,
                "created_by_id": partner_login,
                "created_at": now,
            }
            for doc_id in picked
        ],
    )
    return len(picked)


def create_organisations():
    """The two organisations, each with an editor who logs in and four other users."""
    orgs = []
    for slug, name in ORGANISATIONS:
        org = people.create_organisation(name, slug)
        login = people.create_user(
            f"redaktor@{slug}.example.org", "Redaktör " + slug, "editor", org, password=PASSWORD
        )
        others = [
            people.create_user(f"{role}{i}@{slug}.example.org", f"{role.title()} {i}", role, org)
            for i, role in enumerate(("admin", "approver", "contributor", "contributor"))
        ]
        orgs.append((org.id, login.id, login.email, [login.id] + [u.id for u in others]))
    # No transaction of the ORM session may stay open: on PostgreSQL it would keep VACUUM
    # from marking the new rows all-visible, and every count would fetch heap pages.
    db.session.commit()
    db.session.close()
    return orgs


def settle(analyze):
    """Statistics for the planner: what autovacuum would have done by the time anyone
    looked at the list on PostgreSQL; on SQLite only if asked to ANALYZE."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    elif analyze:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def load(n, analyze=False, seed=SEED):
    """Fill the empty, migrated database of the current app with two organisations of n."""
    rng = random.Random(seed + n)
    maker = TextMaker(rng)
    now = datetime.now(UTC)
    orgs = create_organisations()
    doc_ids, revisions = {}, 0
    with db.engine.begin() as conn:
        for org_id, _login_id, _email, user_ids in orgs:
            doc_ids[org_id], count = fill_organisation(conn, org_id, user_ids, n, rng, maker, now)
            revisions += count
        shared = share_some(conn, orgs, doc_ids, rng, now)
    settle(analyze)
    _org_id, login_id, email, _users = orgs[0]
    token = people.issue_token(db.session.get(User, login_id))
    loaded = sum(len(ids) for ids in doc_ids.values())
    return Corpus(email, token, loaded, revisions, shared)
