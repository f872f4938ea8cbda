"""The baselines the newsroom is measured against, served by gunicorn like the app itself:
a bare Flask "hello" page, and a bare Flask page that renders 20 rows from the same database
through SQLAlchemy and Jinja (no commsdesk code at all).

    gunicorn "bench.baseline_app:create_app()"   # reads BENCH_DATABASE_URL
"""
import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

ROWS = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter</title>
</head><body><main><h1>Nyheter</h1><ul>
{% for row in rows %}<li><h2>{{ row.title }}</h2><p>{{ row.lead }}</p><time>{{ row.sent_at }}</time>
</li>{% endfor %}</ul></main></body></html>"""


def create_app():
    app = Flask(__name__)
    engine = create_engine(os.environ["BENCH_DATABASE_URL"], pool_pre_ping=True)

    @app.get("/hello")
    def hello():
        return "hello"

    @app.get("/rows")
    def rows():
        with engine.connect() as conn:
            found = conn.execute(text(
                "SELECT d.title AS title, d.search_text AS lead, p.sent_at AS sent_at "
                "FROM publications p JOIN documents d ON d.id = p.document_id "
                "WHERE p.state = 'sent' ORDER BY p.sent_at DESC LIMIT 20")).mappings().all()
        return render_template_string(ROWS, rows=found)

    return app
