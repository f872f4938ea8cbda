"""The sources an organisation follows: feeds (added by URL, with discovery from a page's
<link rel="alternate">) and meeting-document pages; changing, pausing and removing them,
asking for a check now, their health, and which private hosts they may reach. Everyone in
the organisation reads them; its admins and editors manage them."""
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from .. import audit, org_settings
from ..access import can_manage_sources, get_or_404, is_admin
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..models import SOURCE_KINDS, Item, Source, SourceCheck, utcnow
from ..validation import text_field
from . import discovery, feeds, fetching

MIN_INTERVAL, MAX_INTERVAL = 5, 1440
MAX_NAME, MAX_URL = 200, 2000
HEALTH_WINDOW = 20  # checks the success ratio is counted over
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.9, text/html;q=0.5, */*;q=0.1")


def require_manage(user):
    if not can_manage_sources(user):
        raise Forbidden(_("Only the organisation's editors and admins manage sources."))


def for_organisation(organisation_id):
    """The organisation's sources by name."""
    return db.session.execute(
        select(Source).where(Source.organisation_id == organisation_id)
        .order_by(Source.name, Source.id)).scalars().all()


def get_source(user, source_id):
    """A source of the user's organisation, else NotFound."""
    return get_or_404(Source, source_id, Source.organisation_id == user.organisation_id,
                      message=_("No such source."))


def clean_url(value, field="url"):
    """An http(s) address with a host, or a ValidationError in plain words."""
    url = text_field(value, MAX_URL, _("Address"), field, required=True, single_line=True)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
        raise ValidationError(_("Give a web address starting with https:// (or http://)."),
                              field=field)
    return url


def clean_interval(value):
    """Minutes between polls: a whole number from MIN_INTERVAL to MAX_INTERVAL."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) \
            or not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise ValidationError(_("Check every %(low)d to %(high)d minutes.",
                                low=MIN_INTERVAL, high=MAX_INTERVAL), field="interval_minutes")
    return value


def clean_kind(value):
    if value not in SOURCE_KINDS:
        raise ValidationError(_("Choose a feed or a page of meeting documents."), field="kind")
    return value


def _duplicate(organisation_id, url, source_id=None):
    found = db.session.execute(select(Source.id).where(
        Source.organisation_id == organisation_id, Source.url == url)).scalar()
    return found is not None and found != source_id


@dataclass
class Resolved:
    url: str
    title: str = ""
    site_url: str = ""
    page: str = ""                       # the page the feed was discovered on
    others: list = field(default_factory=list)  # further feeds that page names


def _fetch(url, organisation_id):
    try:
        return fetching.fetch(url, organisation_id=organisation_id, accept=FEED_ACCEPT,
                              max_bytes=current_app.config.get("MONITOR_MAX_BYTES",
                                                               fetching.MAX_BYTES))
    except fetching.FetchError as exc:
        raise ValidationError(str(exc), field="url") from None


def _feed_title(url, fetched):
    try:
        parsed = feeds.parse(fetched)
    except fetching.FetchError as exc:
        raise ValidationError(str(exc), field="url") from None
    if (parsed.bozo and not parsed.entries) or not parsed.get("version"):
        raise ValidationError(_("%(url)s is not an RSS or Atom feed that can be read.",
                                url=url), field="url")
    return feeds.plain_text(parsed.feed.get("title", "")), parsed.feed.get("link", "")


def resolve(url, organisation_id):
    """The feed to follow for a URL: the URL itself if it is a feed, else the first feed
    the page names; ValidationError in plain words otherwise."""
    fetched = _fetch(url, organisation_id)
    if discovery.looks_like_feed(fetched):
        title, site = _feed_title(url, fetched)
        return Resolved(url=fetched.url, title=title, site_url=site)
    found = discovery.feeds_in_page(fetched)
    if not found:
        raise ValidationError(_("%(url)s is neither a feed nor a page that names one.",
                                url=url), field="url")
    first = found[0]
    title, site = _feed_title(first.url, _fetch(first.url, organisation_id))
    return Resolved(url=first.url, title=title or first.title, site_url=site or url,
                    page=url, others=[f.url for f in found[1:]])


def clean_name(name, fallback):
    """The name as given, else the fallback (the feed's title or the host)."""
    name = text_field(name, MAX_NAME, _("Name"), "name", single_line=True)
    return name or (fallback or "")[:MAX_NAME]


def create(user, url, name, kind, interval_minutes, site_url=""):
    """Add a checked source row (no network, no commit): ValidationError for a duplicate."""
    if _duplicate(user.organisation_id, url):
        raise ValidationError(_("%(url)s is already followed.", url=url), field="url")
    source = Source(organisation_id=user.organisation_id, kind=kind, name=name, url=url,
                    site_url=site_url or "", interval_minutes=interval_minutes, active=True,
                    next_poll_at=utcnow(), created_by_id=user.id, failures=0)
    try:
        with db.session.begin_nested():
            db.session.add(source)
    except IntegrityError:
        raise ValidationError(_("%(url)s is already followed.", url=url), field="url") from None
    return source


def add(user, url, name=None, kind="feed", interval_minutes=30):
    """Follow a feed (a page's URL finds its first feed) or a meeting-documents page; the
    source has `resolved` (what discovery found). Audited; commits."""
    require_manage(user)
    kind = clean_kind(kind)
    url = clean_url(url)
    interval_minutes = clean_interval(interval_minutes)
    resolved = Resolved(url=url)
    if kind == "feed":
        if _duplicate(user.organisation_id, url):
            raise ValidationError(_("%(url)s is already followed.", url=url), field="url")
        resolved = resolve(url, user.organisation_id)
    source = create(user, resolved.url, clean_name(name, resolved.title or urlsplit(url).hostname),
                    kind, interval_minutes, resolved.site_url)
    db.session.flush()
    audit.record(user, "source.created", source, url=source.url, kind=kind,
                 discovered_on=resolved.page or None)
    db.session.commit()
    source.resolved = resolved
    return source


def update(user, source, values):
    """Change a source's name, address or interval (keys left out keep their value); a new
    address is polled afresh. Audited; commits."""
    require_manage(user)
    changed = {}
    if "name" in values:
        changed["name"] = clean_name(values["name"], source.name)
    if "interval_minutes" in values:
        changed["interval_minutes"] = clean_interval(values["interval_minutes"])
    if "url" in values:
        url = clean_url(values["url"])
        if url != source.url:
            if _duplicate(source.organisation_id, url, source.id):
                raise ValidationError(_("%(url)s is already followed.", url=url), field="url")
            changed.update(url=url, etag=None, last_modified=None, next_poll_at=utcnow(),
                           failures=0, last_error=None)
    changed = {k: v for k, v in changed.items() if getattr(source, k) != v}
    for key, value in changed.items():
        setattr(source, key, value)
    if changed:
        audit.record(user, "source.updated", source,
                     **{k: changed[k] for k in ("name", "url", "interval_minutes") if k in changed})
    if "active" in values:
        return set_active(user, source, bool(values["active"]))  # commits
    db.session.commit()
    return source


def set_active(user, source, active):
    """Pause (no more polls) or resume (polled at once) a source. Audited; commits."""
    require_manage(user)
    if source.active != active:
        source.active = active
        if active:
            source.next_poll_at, source.failures = utcnow(), 0
        audit.record(user, "source.resumed" if active else "source.paused", source)
    db.session.commit()
    return source


def check_now(user, source):
    """Poll the source at the worker's next pass; commits."""
    require_manage(user)
    source.next_poll_at = utcnow()
    db.session.commit()
    return source


def remove(user, source):
    """Stop following a source: its items stay (without their source), its checks go.
    Audited; commits."""
    require_manage(user)
    audit.record(user, "source.removed", source, name=source.name, url=source.url)
    db.session.execute(sql_update(Item).where(Item.source_id == source.id).values(source_id=None))
    db.session.execute(delete(SourceCheck).where(SourceCheck.source_id == source.id))
    db.session.delete(source)
    db.session.commit()


@dataclass
class Health:
    status: str            # new (never polled), ok, failing, paused
    checks: list           # the latest checks, newest first
    ratio: float | None    # the share of successful checks among them
    last_error: str | None
    new_items: int         # in the last poll


def health(source, window=HEALTH_WINDOW):
    """How the source's polls went lately."""
    checks = db.session.execute(
        select(SourceCheck).where(SourceCheck.source_id == source.id)
        .order_by(SourceCheck.at.desc(), SourceCheck.id.desc()).limit(window)).scalars().all()
    ratio = (sum(c.outcome != "error" for c in checks) / len(checks)) if checks else None
    if not source.active:
        status = "paused"
    elif source.failures:  # (a last_error without failures is a problem in part: shown)
        status = "failing"
    else:
        status = "ok" if checks else "new"
    return Health(status=status, checks=checks, ratio=ratio, last_error=source.last_error,
                  new_items=checks[0].new_items if checks else 0)


def allowed_hosts_text(organisation_id):
    """The organisation's allowed private hosts as typed (one a line)."""
    name = fetching.ALLOWED_HOSTS_SETTING
    return org_settings.read(organisation_id, [name]).get(name, "")


def set_allowed_hosts(user, text):
    """Let the organisation's sources reach these hosts on private networks (admins).
    Audited; commits."""
    if not is_admin(user) or user.organisation_id is None:
        raise Forbidden(_("Only an admin of the organisation may allow private hosts."))
    text = text_field(text, 2000, _("Allowed hosts"), "allowed_hosts")
    hosts = fetching.parse_hosts(text)
    value = "\n".join(dict.fromkeys(hosts))
    if org_settings.write(user.organisation_id, {fetching.ALLOWED_HOSTS_SETTING: value}):
        audit.record(user, "monitoring.allowed_hosts_changed", None,
                     organisation_id=user.organisation_id, hosts=hosts)
    db.session.commit()
    return hosts
