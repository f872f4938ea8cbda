"""How the document list, search, dashboard and API scale with the number of documents.

    python -m bench              # 21 timed repeats per operation and size (make bench)
    python -m bench --quick      # 5 repeats, for a fast look
    python -m bench --explain    # also print the query plans of the SELECTs at the large size
    python -m bench --only NAME  # one concern: documents, search, api (may be repeated)

Two sizes are built, each in a fresh database migrated with the real migrations: a SQLite file
in a temp dir, or, if COMMSDESK_BENCH_DATABASE_URL is set, a schema commsdesk_bench_N of that
PostgreSQL database (dropped and recreated, and dropped again at the end). Each has two
organisations of N documents (1-3 revisions, tags; N = 100 for the baseline, 10,000 large),
loaded with SQLAlchemy Core bulk inserts; where the schema has coalition shares, the second
organisation shares one document in a hundred with the first. We log in as an editor of the
first organisation through the real /login form and time whole requests through the Flask test
client, alternating the two sizes request by request so that other load on the machine weighs
on both alike; each figure is the median of the repeats after a warm-up.

The project's rule: results are ratios against the baseline size measured in the same run,
never absolute pass/fail timings. Milliseconds are printed for context only; they depend on the
machine and its load. Results also go to bench/results/latest.json (git-ignored).

One module per measured concern (documents, search, api), each a Benchmark listed in
__main__.py; runner.py builds the sizes and measures; corpus.py makes and loads the documents;
report.py prints the table and writes the results.
"""

import os

# Before any bench module imports commsdesk: a test configuration of our own, never the
# installation's database, and a secret so that no key file is written to instance/.
os.environ["COMMSDESK_ENV"] = "testing"
os.environ.pop("COMMSDESK_DATABASE_URL", None)
os.environ.setdefault("COMMSDESK_SECRET_KEY", "bench-secret")
