"""The newsroom: each organisation's public pages, feeds and sitemap at /n/<org_slug>/, without
login. Every answer carries an ETag and Last-Modified (a conditional GET answers 304) and is
kept in the per-process page cache under the organisation's generation (newsroom.cache)."""
from functools import lru_cache, partial
from urllib.parse import quote

from babel.dates import format_datetime
from flask import Blueprint, Response, abort, current_app, g, request, url_for
from flask_babel import gettext as _

from .. import newsroom
from ..errors import NotFound
from ..kinds import KINDS
from ..models import utcnow
from ..newsroom.cache import Entry, etag
from ..newsroom.fastpath import MARK
from ..times import organisation_zone
from . import page_arg

bp = Blueprint("newsroom", __name__, url_prefix="/n/<org_slug>")
HTML = "text/html; charset=utf-8"
MAX_AGE = 60
DATE_FORMAT = "d MMMM yyyy HH:mm"


def _serve(org_slug, render, mimetype=HTML):
    """Answer from the page cache, or render and keep the page there, with validators."""
    now = utcnow()
    try:
        org, brand, state = newsroom.site(org_slug, now)
    except NotFound:
        abort(404)
    g.newsroom_locale = brand.locale
    key = (state.key, brand.key(), org.signup_open, request.path, request.query_string, mimetype)
    cached = current_app.config["NEWSROOM_CACHE"]
    entry = newsroom.pages.get(key) if cached else None
    if entry is None:
        body, status = render(org, brand, now)
        if isinstance(body, str):
            body = body.encode()
        entry = Entry(body, status, mimetype)
        if cached:
            newsroom.pages.put(key, entry)
    response = Response(entry.body, entry.status, content_type=entry.mimetype)
    response.set_etag(etag(key))
    response.last_modified = state.last_modified or org.created_at
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    if entry.status == 200:
        response.make_conditional(request)
    _keep_in_front(response, now, state)
    return response


def _keep_in_front(response, now, state):
    """Let the fast path in front of the app (newsroom.fastpath) answer this page from memory
    for NEWSROOM_FRESH_SECONDS, never past the next embargo lift."""
    fresh = current_app.config["NEWSROOM_FRESH_SECONDS"]
    if not current_app.config["NEWSROOM_CACHE"] or fresh <= 0:
        return
    until = now.timestamp() + fresh
    if state.next_lift is not None:
        until = min(until, state.next_lift.timestamp())
    response.headers[MARK] = f"{until:.3f}"


def render_template(name, **context):
    """Render without the app's context processors: a public page shows no signed-in user
    or desk panel, so it does not load them (one query fewer on every uncached page)."""
    return current_app.jinja_env.get_template(name).render(**context)


@lru_cache(maxsize=4096)
def _formatted(moment, zone, locale):
    # Every page shows the same few dates: format each once per zone and language.
    return format_datetime(moment, DATE_FORMAT, tzinfo=zone, locale=locale)


def _when(org, brand, moment):
    return _formatted(moment, organisation_zone(org), brand.locale)


@lru_cache(maxsize=64)
def _kind_label(locale, kind):
    # Called while rendering in the newsroom's language (`locale`), once per kind and language.
    return str(KINDS[kind].label) if kind in KINDS else kind


def _page(template, org, brand, status=200, **context):
    canonical = context.pop("canonical", request.path)
    canonical = newsroom.absolute(canonical) if canonical else None
    html = render_template(f"newsroom/{template}", org=org, brand=brand, canonical=canonical,
                           when=partial(_when, org, brand),
                           kind_label=partial(_kind_label, brand.locale), base=f"/n/{org.slug}/",
                           quote=partial(quote, safe=""), srcset=newsroom.srcset, **context)
    return html, status


def _listing(org, brand, now, heading, texts, more, **context):
    page = page_arg()
    canonical = request.path + (f"?page={page}" if page > 1 else "")
    return _page("listing.html", org, brand, heading=heading, texts=texts, more=more,
                 page=page, canonical=canonical, **context)


@bp.route("/")
def home(org_slug):
    def render(org, brand, now):
        texts, more = newsroom.latest(org, per_page=10, now=now)
        return _page("home.html", org, brand, texts=texts, more=more)
    return _serve(org_slug, render)


def _group(org_slug, group, heading):
    def render(org, brand, now):
        texts, more = newsroom.latest(org, group, page=page_arg(), now=now)
        return _listing(org, brand, now, heading, texts, more, section=group)
    return _serve(org_slug, render)


@bp.route("/news")
def news(org_slug):
    return _group(org_slug, "news", _("News and press releases"))


@bp.route("/opinion")
def opinion(org_slug):
    return _group(org_slug, "opinion", _("Op-eds and letters"))


@bp.route("/tag/<tag>")
def tag(org_slug, tag):
    def render(org, brand, now):
        name = newsroom.tag_name(org, tag, now=now)
        if name is None:
            return _page("missing.html", org, brand, status=404, canonical=None)
        texts, more = newsroom.tagged(org, name, page=page_arg(), now=now)
        return _listing(org, brand, now, _("Tagged %(tag)s", tag=name), texts, more, tag=name)
    return _serve(org_slug, render)


@bp.route("/search")
def search(org_slug):
    query = request.args.get("q", "").strip()[:newsroom.MAX_QUERY]

    def render(org, brand, now):
        texts, more = newsroom.search(org, query, page=page_arg(), now=now)
        return _listing(org, brand, now, _("Search"), texts, more, query=query, searched=True)
    return _serve(org_slug, render)


@bp.route("/archive")
def archive(org_slug):
    def render(org, brand, now):
        return _page("archive.html", org, brand, months=newsroom.months(org, now=now))
    return _serve(org_slug, render)


@bp.route("/archive/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>")
def archive_month(org_slug, year, month):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        abort(404)

    def render(org, brand, now):
        texts = newsroom.month(org, year, month, now=now)
        heading = format_datetime(texts[0].public_at, "LLLL yyyy",
                                  tzinfo=organisation_zone(org), locale=brand.locale) \
            if texts else f"{year}-{month:02d}"
        return _page("listing.html", org, brand, heading=heading, texts=texts, more=False,
                     page=1)
    return _serve(org_slug, render)


@bp.route("/<int:document_id>-<slug>")
def text(org_slug, document_id, slug):
    def render(org, brand, now):
        try:
            found, withdrawn_at = newsroom.text(org, document_id, now=now)
        except NotFound:
            return _page("missing.html", org, brand, status=404, canonical=None)
        if found is None:
            return _page("gone.html", org, brand, status=410, canonical=None,
                         withdrawn_at=withdrawn_at)
        return _page("text.html", org, brand, text=found, canonical=found.path)
    return _serve(org_slug, render)


def _feed(org_slug, fmt, tag=None):
    mimetype = "application/rss+xml; charset=utf-8" if fmt == "rss" \
        else "application/atom+xml; charset=utf-8"

    def render(org, brand, now):
        name = None
        if tag is not None:
            name = newsroom.tag_name(org, tag, now=now)
            if name is None:
                return b"", 404
        title = brand.name if name is None else f"{brand.name}: {name}"
        return newsroom.feed(org, brand, fmt, tag=name, title=title, now=now), 200
    return _serve(org_slug, render, mimetype)


@bp.route("/feed.rss")
def feed_rss(org_slug):
    return _feed(org_slug, "rss")


@bp.route("/feed.atom")
def feed_atom(org_slug):
    return _feed(org_slug, "atom")


@bp.route("/tag/<tag>/feed.rss")
def tag_feed_rss(org_slug, tag):
    return _feed(org_slug, "rss", tag)


@bp.route("/tag/<tag>/feed.atom")
def tag_feed_atom(org_slug, tag):
    return _feed(org_slug, "atom", tag)


@bp.route("/sitemap.xml")
def sitemap(org_slug):
    def render(org, brand, now):
        xml = render_template("newsroom/sitemap.xml", texts=newsroom.everything(org, now),
                              home=newsroom.absolute(f"/n/{org.slug}/"))
        return xml, 200
    return _serve(org_slug, render, "application/xml; charset=utf-8")


@bp.route("/theme.css")
def theme(org_slug):
    def render(org, brand, now):
        return render_template("newsroom/theme.css", brand=brand), 200
    return _serve(org_slug, render, "text/css; charset=utf-8")


def robots():
    """Crawlers may read the newsrooms (and their images), not the desk behind the login."""
    lines = ["User-agent: *", "Allow: /n/", "Allow: /media/", "Allow: /assets/", "Disallow: /",
             ""]
    lines += [f"Sitemap: {newsroom.absolute(f'/n/{slug}/sitemap.xml')}"
              for slug in newsroom.published_slugs()]
    response = Response("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


def init_app(app):
    """Register the newsroom and the site's robots.txt."""
    app.register_blueprint(bp)
    app.add_url_rule("/robots.txt", "robots", robots)

    @app.template_global()
    def newsroom_url(org):
        """The public newsroom of an organisation."""
        return url_for("newsroom.home", org_slug=org.slug)
