"""Full-text search (commsdesk.search) at 1,000 and 100,000 documents and as many monitored
items, on SQLite (FTS5) and PostgreSQL (tsvector, GIN), against the old document search in
the same run: a LIKE scan of documents.search_text per word, counted and the newest page cut.

Rows are bulk-inserted (documents with their revision, items, and their index rows made by
commsdesk.search.texts, stems memoised per sentence: the text comes from bench.corpus's
sentence pools). Each query runs through search.query (index, tenancy, ranking, the page's
snippets) REPEAT times after a warm-up; printed: median and p95 ms per size and the ratio
of the largest to the smallest size's median, against the goal of at most 1.5x."""
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import func, insert, select, text

from bench import corpus, services

QUERIES = {"common word": "kommunen", "rare word": "simhallsbadet",
           "two words": "skolan lärare", "word form": "förskolor"}
REPEAT = 40
LIKE_REPEAT = 10  # the old scan takes seconds a run at 100,000
BATCH = 5000
GOAL = 1.5


@cache
def _stems(sentence):
    from commsdesk import stemming

    return stemming.stems(sentence, "sv")


def _texts(rng, maker, n, size):
    """Title and body of the n-th of size texts; ten of them, whatever the size, mention
    the rare word (a street, a name: rare words stay rare as the archive grows)."""
    topics = rng.sample(list(corpus.TOPICS), rng.choice((1, 1, 2)))
    title = maker.title(topics)
    sentences = [maker.sentence(topics) for _ in range(rng.randint(3, 8))]
    if n % (size // 10) == 7:
        sentences.append("Simhallsbadet renoveras.")
    return title, sentences


def _index_row(kind, ref_id, org_id, title, sentences):
    return {"rowid": ref_id * 2 + (kind == "items"), "kind": kind, "ref_id": ref_id,
            "organisation_id": org_id, "title": _stems(title),
            "body": " ".join(_stems(s) for s in sentences)}


def _fill_documents(conn, org_id, user_id, rng, maker, start, count, now, size):
    from commsdesk.models import Document, Revision, search_index

    plans = [_texts(rng, maker, start + i, size) for i in range(count)]
    docs = [{"organisation_id": org_id, "kind": "press_release", "state": "draft",
             "owner_id": user_id, "title": title,
             "search_text": (title + "\n" + " ".join(s)).lower(),
             "created_at": now - timedelta(minutes=start + i),
             "updated_at": now - timedelta(minutes=start + i)}
            for i, (title, s) in enumerate(plans)]
    ids = corpus.returned_ids(conn, Document.__table__, docs)
    revs = [{"document_id": d, "number": 1, "author_id": user_id, "note": "", "content_hash": "x",
             "content": {"title": t, "lead": "", "body": " ".join(s), "fields": {}, "variants": {}},
             "created_at": now} for d, (t, s) in zip(ids, plans)]
    rev_ids = corpus.returned_ids(conn, Revision.__table__, revs)
    conn.execute(text("UPDATE documents SET current_revision_id = :r WHERE id = :d"),
                 [{"r": r, "d": d} for r, d in zip(rev_ids, ids)])
    conn.execute(insert(search_index), [_index_row("documents", d, org_id, t, s)
                                        for d, (t, s) in zip(ids, plans)])


def _fill_items(conn, org_id, source_id, rng, maker, start, count, now, size):
    from commsdesk.models import Item, search_index

    plans = [_texts(rng, maker, start + i, size) for i in range(count)]
    rows = [{"organisation_id": org_id, "source_id": source_id, "kind": "entry",
             "dedup_key": f"{start + i:064d}", "guid": str(start + i), "link": "", "title": t,
             "author": "", "summary_html": "", "text": " ".join(s), "state": "new",
             "fetched_at": now - timedelta(minutes=start + i)}
            for i, (t, s) in enumerate(plans)]
    ids = corpus.returned_ids(conn, Item.__table__, rows)
    conn.execute(insert(search_index), [_index_row("items", i, org_id, t, s)
                                        for i, (t, s) in zip(ids, plans)])


def _fill(size):
    """An organisation with size documents and size items; (organisation id, user id)."""
    from commsdesk import people
    from commsdesk.extensions import db
    from commsdesk.models import Source

    org = people.create_organisation("Mittenpartiet", "mitten")
    user = people.create_user("redaktor@mitten.se", "Redaktör", "editor", org,
                              password=corpus.PASSWORD)
    source = Source(organisation_id=org.id, name="Lokaltidningen", url="https://example.org/f")
    db.session.add(source)
    db.session.commit()
    org_id, user_id, source_id = org.id, user.id, source.id
    db.session.close()
    rng, now = random.Random(corpus.SEED), datetime.now(UTC)
    maker = corpus.TextMaker(rng)
    for start in range(0, size, BATCH):
        count = min(BATCH, size - start)
        with db.engine.begin() as conn:
            _fill_documents(conn, org_id, user_id, rng, maker, start, count, now, size)
            _fill_items(conn, org_id, source_id, rng, maker, start, count, now, size)
    corpus.settle(analyze=True)
    return user_id


def _like(user, q):
    """The old document search: LIKE per word on search_text, counted, newest page."""
    from commsdesk.extensions import db
    from commsdesk.models import Document

    query = select(Document.id).where(Document.organisation_id == user.organisation_id)
    for word in q.lower().split():
        query = query.where(Document.search_text.like(f"%{word}%"))
    total = db.session.execute(query.with_only_columns(func.count())).scalar_one()
    db.session.execute(query.order_by(Document.updated_at.desc()).limit(20)).all()
    return total


def _time(fn, repeat=REPEAT):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _measure(app, size):
    from commsdesk import search
    from commsdesk.extensions import db
    from commsdesk.models import User

    rows = []
    with app.app_context():
        started = time.perf_counter()
        user = db.session.get(User, _fill(size))
        fill_s = time.perf_counter() - started
        for label, q in QUERIES.items():
            hits = search.query(user, q).total
            median, p95 = _time(lambda q=q: search.query(user, q))
            like_median, like_p95 = _time(lambda q=q: _like(user, q), LIKE_REPEAT)
            rows.append({"size": size, "query": label, "q": q, "hits": hits,
                         "median_ms": round(median, 2), "p95_ms": round(p95, 2),
                         "like_median_ms": round(like_median, 2),
                         "like_p95_ms": round(like_p95, 2), "fill_s": round(fill_s, 1)})
    return rows


def _app(url):
    os.environ["COMMSDESK_ENV"] = "testing"
    from flask_migrate import upgrade

    from commsdesk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench",
                      "PASSWORD_HASHER": "fast", "BASE_URL": "http://localhost"})
    with app.app_context():
        upgrade()
    return app


def _pg_database(base, name):
    from sqlalchemy import create_engine, make_url

    engine = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def run(quick=False):
    """Rows of {database, size, query, hits, median_ms, p95_ms, like_*, ratio}."""
    sizes = (1_000, 10_000) if quick else (1_000, 100_000)
    rows = []
    folder = tempfile.mkdtemp(prefix="bench-fulltext-")
    # Either database alone on a busy machine: BENCH_FULLTEXT_SQLITE=0 or _POSTGRES=0.
    for size in sizes if os.environ.get("BENCH_FULLTEXT_SQLITE", "1") == "1" else ():
        rows += [{"database": "sqlite", **r} for r in
                 _measure(_app(f"sqlite:///{folder}/s{size}.sqlite3"), size)]
    if os.environ.get("BENCH_FULLTEXT_POSTGRES", "1") != "1":
        _ratios(rows, sizes)
        return rows
    with services.postgres() as base:
        for size in sizes:
            app = _app(_pg_database(base, f"fulltext{size}"))
            rows += [{"database": "postgresql", **r} for r in _measure(app, size)]
            with app.app_context():
                from commsdesk.extensions import db

                db.engine.dispose()
    _ratios(rows, sizes)
    return rows


def _ratios(rows, sizes):
    by = {(r["database"], r["size"], r["query"]): r for r in rows}
    for row in rows:
        small = by[(row["database"], sizes[0], row["query"])]
        row["ratio"] = round(row["median_ms"] / small["median_ms"], 2)
        row["like_ratio"] = round(row["like_median_ms"] / small["like_median_ms"], 2)


def print_rows(rows):
    print(f"full-text search: search.query (index, tenancy, ranking, snippets of a page of 20) "
          f"against the old LIKE scan (count + newest 20); {REPEAT} runs each ({LIKE_REPEAT} "
          f"of LIKE); goal: largest size at most {GOAL}x the smallest")
    for row in rows:
        mark = "ok" if row["ratio"] <= GOAL else "OVER"
        print(f"  {row['database']:<10} {row['size']:>7} {row['query']:<11} "
              f"({row['q']}, {row['hits']} hits): median {row['median_ms']:7.2f} ms, "
              f"p95 {row['p95_ms']:7.2f} ms, ratio {row['ratio']:5.2f}x {mark} | LIKE median "
              f"{row['like_median_ms']:8.2f} ms, p95 {row['like_p95_ms']:8.2f} ms, "
              f"ratio {row['like_ratio']:6.2f}x (fill {row['fill_s']} s)")
