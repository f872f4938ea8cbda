"""Asking the index: the user's text made safe, the tenancy filter, ranking and paging, and
the page's results with highlighted snippets (see the package docstring for the design)."""
import re
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import and_, func, literal_column, or_, select

from .. import stemming
from ..access import shared_with
from ..extensions import db
from ..models import search_index
from . import results as _results

KINDS = ("documents", "items")
CANDIDATES = 200       # the most matches ranked (the newest); the total is capped there
MAX_QUERY = 500        # characters of the user's text read
MAX_TERMS = 12
TERM_RE = re.compile(r'"([^"]*)"|([^"\s]+)')
USABLE = re.compile(r"[^\W_]")  # a stem the tokenizers keep (letters or digits)
TS_CONFIG = literal_column("'simple'::regconfig")


@dataclass
class Result:
    kind: str          # documents | items
    id: int
    title: Markup      # highlighted
    snippet: Markup    # highlighted
    rank: float        # higher is better
    when: datetime | None = None
    source: str = ""   # the document's kind, or the item's source
    link: str = ""     # an item's original address

    @property
    def url(self):
        """Its page in the app (built when asked: needs a request)."""
        return _results.url(self)


@dataclass
class Page:
    results: list = field(default_factory=list)
    total: int = 0
    capped: bool = False   # more than CANDIDATES matched: total is a lower bound
    page: int = 1
    per_page: int = 20


def parse(q, language="sv"):
    """The search terms in the user's text: one per word, one per "quoted phrase"; each a
    stemming.Term whose keys are stems (a phrase: its words' stems in order)."""
    found, seen = [], set()
    for quoted, plain in TERM_RE.findall((q or "")[:MAX_QUERY]):
        words = stemming.WORD_RE.findall(quoted) if quoted else stemming.WORD_RE.findall(plain)
        groups = [words] if quoted else [[w] for w in words]
        for group in groups:
            keys = tuple(s for s in (stemming.stem(w, language) for w in group) if USABLE.search(s))
            if keys and keys not in seen:
                seen.add(keys)
                found.append(stemming.Term(text=" ".join(group), phrase=False, keys=keys))
    return found[:MAX_TERMS]


def _tsquery(terms):
    tsq = None
    for term in terms:
        part = func.phraseto_tsquery(TS_CONFIG, " ".join(term.keys))
        tsq = part if tsq is None else tsq.op("&&")(part)
    return tsq


def _match(terms, dialect):
    """(the match condition, the score: higher is better) for these terms."""
    if dialect == "postgresql":
        tsv, tsq = literal_column("search_index.tsv"), _tsquery(terms)
        return tsv.op("@@")(tsq), func.ts_rank_cd(tsv, tsq)
    # Each term a quoted FTS5 string: its stems as a phrase, never query syntax.
    fts = " ".join('"' + " ".join(term.keys) + '"' for term in terms)
    table = literal_column("search_index")
    return table.op("MATCH")(fts), -func.bm25(table, 5.0, 1.0)


def _visible(user, kinds):
    """The tenancy filter on index rows: items of the user's organisation, documents of it
    or shared with it."""
    c = search_index.c
    own = c.organisation_id == user.organisation_id
    shared = and_(c.kind == "documents", c.ref_id.in_(shared_with(user.organisation_id)))
    return and_(c.kind.in_(kinds), or_(own, shared) if "documents" in kinds else own)


def _language(user):
    from ..monitoring import watch

    return watch.language(user.organisation_id) if user.organisation_id else "sv"


def candidates(user, terms, kinds=KINDS, limit=CANDIDATES):
    """[(kind, ref_id, score)] of the newest matching rows the user may see, at most limit."""
    dialect = db.engine.dialect.name
    condition, score = _match(terms, dialect)
    c = search_index.c
    newest = (select(c.rowid).where(condition, _visible(user, kinds))
              .order_by(c.rowid.desc()).limit(limit))
    if dialect == "postgresql":
        # Ranked after the cut, over the cut's own rows: PostgreSQL would otherwise rank
        # every match of a common word before keeping the newest `limit` of them.
        cut = newest.add_columns(c.kind, c.ref_id,
                                 literal_column("search_index.tsv").label("tsv")).subquery()
        statement = select(cut.c.kind, cut.c.ref_id,
                           func.ts_rank_cd(cut.c.tsv, _tsquery(terms)).label("score"))
    else:  # bm25() is only known inside the MATCH query itself
        statement = newest.with_only_columns(c.kind, c.ref_id, score.label("score"))
    return db.session.execute(statement).all()


def query(user, q, kinds=KINDS, page=1, per_page=20):
    """A Page of ranked results for the user's text over the kinds asked for."""
    kinds = tuple(k for k in kinds if k in KINDS) or KINDS
    page = max(1, int(page or 1))
    result = Page(page=page, per_page=per_page)
    language = _language(user)
    terms = parse(q, language)
    if not terms or user.organisation_id is None:
        return result
    rows = candidates(user, terms, kinds, CANDIDATES + 1)
    result.capped = len(rows) > CANDIDATES
    rows = sorted(rows[:CANDIDATES], key=lambda r: -r.score)
    result.total = len(rows)
    shown = rows[(page - 1) * per_page:page * per_page]
    result.results = _results.build(user, shown, terms, language)
    return result


def document_ids(user, q):
    """A select of the ids of documents matching the user's text (the document list's
    search; it adds its own visibility, filters and order). None for a blank text."""
    if not (q or "").strip():
        return None
    terms = parse(q, _language(user))
    c = search_index.c
    if not terms:
        return select(c.ref_id).where(c.rowid < 0)  # nothing matches
    condition, _score = _match(terms, db.engine.dialect.name)
    return select(c.ref_id).where(condition, c.kind == "documents")
