"""commsdesk: a communications and publishing workbench for political offices."""
import secrets
from pathlib import Path

from flask import Flask, g, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Config, ConfigError
from .extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the application; does no network work and runs no migrations."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "assets"),
        static_url_path="/assets",
    )
    app.config.from_mapping(vars(Config(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _trust_proxies(app)

    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    from .web.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(Path(__file__).parent / "translations"))

    from . import admin, api, audit, cli, web

    audit.install_guard()

    web.init_app(app)
    api.init_app(app)
    admin.init_app(app)
    cli.init_app(app)
    _security_headers(app)
    # Outermost: repeated newsroom requests are answered before Flask is entered.
    from .newsroom.fastpath import FastPath

    app.wsgi_app = app.extensions["newsroom_fastpath"] = FastPath(app.wsgi_app)
    return app


def _trust_proxies(app):
    """Behind PROXY_HOPS reverse proxies, read the client's address and scheme from the
    X-Forwarded-For/-Proto headers they set (else every login would count against the
    proxy's address). Off by default: without a proxy anyone could send those headers."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops < 0:
        raise ConfigError("COMMSDESK_PROXY_HOPS must be 0 (no proxy) or more.")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _tune_sqlite(engine):
    """Foreign keys on, WAL and a busy timeout so the web server and worker can share a file."""
    if engine.dialect.name != "sqlite":
        return
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _security_headers(app):
    @app.before_request
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def add_headers(response):
        script = style = "'self'"
        if request.path.startswith("/admin"):
            # Flask-Admin's pages carry a few inline scripts (nonced) and inline styles.
            script += f" 'nonce-{g.get('csp_nonce', '')}'"
            style += " 'unsafe-inline'"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src {script}; style-src {style}; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
