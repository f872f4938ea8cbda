"""Member import: a CSV of 10,000 and 100,000 members (Swedish headers, semicolons) read,
checked row by row (address syntax, duplicates in the file and in the register, the
suppression list, formulas, dates) and written in one transaction by the importer, against
a baseline in the same run: the same file read with csv and its rows inserted with one
executemany into the same table, checking nothing. Printed: seconds for each, the ratio
importer/baseline, and how the importer's time per row grows from 10,000 to 100,000 rows."""
import csv
import io
import os
import tempfile
import time

HEADER = ["Namn", "E-post", "Telefon", "Kommun", "Taggar", "Medlem sedan"]


def csv_file(count):
    """A member file as a Swedish office exports it from a spreadsheet."""
    lines = [";".join(HEADER)]
    lines += [f"Anna Andersson {n};anna.andersson{n}@example.se;070-{n:07d};"
              f"{'Norr' if n % 2 else 'Centrum'};skola, miljö;2019-03-{n % 28 + 1:02d}"
              for n in range(count)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _app():
    os.environ["COMMSDESK_ENV"] = "testing"
    from flask_migrate import upgrade

    from commsdesk import create_app

    folder = tempfile.mkdtemp(prefix="bench-members-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/members.sqlite3",
                      "TESTING": True, "SECRET_KEY": "bench", "PASSWORD_HASHER": "fast",
                      "BASE_URL": "http://localhost"})
    with app.app_context():
        upgrade()
    return app


def _importer(app, slug, data):
    from commsdesk import people
    from commsdesk.audience import importing

    with app.app_context(), app.test_request_context():
        org = people.create_organisation(slug, slug)
        user = people.create_user(f"sekreterare@{slug}.se", "Sekreterare", "editor", org,
                                  password="correct horse battery")
        started = time.perf_counter()
        job, table = importing.upload(user, "medlemmar.csv", data)
        importing.check(org.id, table, job.mapping)  # the preview's check
        importing.confirm(user, job)  # checked again and written, in one transaction
        seconds = time.perf_counter() - started
        assert job.state == "finished", (job.state, job.error)
        return seconds, job.imported


def _baseline(app, slug, data):
    from commsdesk import people
    from commsdesk.extensions import db
    from commsdesk.models import Member

    with app.app_context():
        org = people.create_organisation(slug, slug)
        started = time.perf_counter()
        reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";")
        next(reader)
        rows = [{"organisation_id": org.id, "name": r[0], "email": r[1], "phone": r[2],
                 "branch": r[3], "tags": [t.strip() for t in r[4].split(",")],
                 "topics": ["newsletter", "meetings"], "state": "subscribed",
                 "soft_bounces": 0} for r in reader]
        db.session.execute(Member.__table__.insert(), rows)
        db.session.commit()
        return time.perf_counter() - started, len(rows)


def run(quick=False):
    """Rows of {size, importer_s, baseline_s, ratio, per_row_growth}."""
    sizes = (1_000, 10_000) if quick else (10_000, 100_000)
    app = _app()
    rows = []
    for size in sizes:
        data = csv_file(size)
        base_s, base_n = _baseline(app, f"bas{size}", data)
        imp_s, imp_n = _importer(app, f"imp{size}", data)
        assert imp_n == base_n == size, (imp_n, base_n)
        rows.append({"size": size, "importer_s": round(imp_s, 2),
                     "baseline_s": round(base_s, 2), "ratio": round(imp_s / base_s, 2)})
    first, last = rows[0], rows[-1]
    growth = (last["importer_s"] / last["size"]) / (first["importer_s"] / first["size"])
    for row in rows:
        row["per_row_growth"] = round(growth, 2)
    return rows


def print_rows(rows):
    print("member import (SQLite): importer = read, check every row, write in one transaction;"
          " baseline = csv + one executemany, no checks")
    for row in rows:
        print(f"  {row['size']:>7} rows: importer {row['importer_s']:6.2f} s, baseline "
              f"{row['baseline_s']:6.2f} s, ratio {row['ratio']:.2f}x")
    if rows:
        print(f"  time per row, largest against smallest file: {rows[0]['per_row_growth']:.2f}x")
