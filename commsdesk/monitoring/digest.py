"""The daily digest: once a day, at the organisation's digest hour in its own zone, each
recipient of its "digest" watch lists gets one email listing what the lists found since the
last digest. The day is claimed in the database (the setting monitoring.digest_sent_on,
changed conditionally) in the same transaction that queues the emails and marks the
matches digested, so two workers never send one digest twice."""
import logging
from collections import defaultdict
from datetime import datetime, time

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import mail, notifications, org_settings
from ..extensions import db
from ..models import Item, ItemMatch, Organisation, OrganisationSetting, WatchList, utcnow
from ..times import organisation_zone
from . import watch

log = logging.getLogger(__name__)
HOUR_SETTING = "monitoring.digest_hour"
SENT_SETTING = "monitoring.digest_sent_on"
DEFAULT_HOUR = 7
MAX_MATCHES = 500  # per digest email; the rest wait for the next one


def _setting(organisation_id, name):
    return org_settings.read(organisation_id, [name]).get(name)


def digest_hour(organisation_id):
    """The local hour (0-23) of the organisation's digest (default 7)."""
    value = (_setting(organisation_id, HOUR_SETTING) or "").strip()
    return int(value) if value.isdigit() and int(value) < 24 else DEFAULT_HOUR


def _cutoff(org, now):
    """(today's local date, the moment of today's digest hour in UTC)."""
    zone = organisation_zone(org)
    today = now.astimezone(zone).date()
    at = datetime.combine(today, time(digest_hour(org.id)), tzinfo=zone)
    return today, at.astimezone(now.tzinfo)


def _pending(organisation_id, before):
    """The query for matches of the organisation's digest lists not digested yet, found
    before `before`."""
    return (select(ItemMatch).join(WatchList, WatchList.id == ItemMatch.watch_list_id)
            .where(WatchList.organisation_id == organisation_id,
                   WatchList.delivery == "digest", ItemMatch.digested_at.is_(None),
                   ItemMatch.created_at < before))


def due_organisations(now=None):
    """The organisations whose digest is due now: past their hour, not sent today, with
    matches waiting from before the hour."""
    now = now or utcnow()
    org_ids = db.session.execute(
        select(WatchList.organisation_id).join(ItemMatch, ItemMatch.watch_list_id == WatchList.id)
        .where(WatchList.delivery == "digest", ItemMatch.digested_at.is_(None))
        .distinct()).scalars().all()
    due = []
    for org in (db.session.get(Organisation, org_id) for org_id in org_ids):
        today, at = _cutoff(org, now)
        if now < at or _setting(org.id, SENT_SETTING) == today.isoformat():
            continue
        if db.session.execute(_pending(org.id, at).limit(1)).first() is not None:
            due.append(org)
    return due


def digests_waiting(now=None):
    """Whether any organisation's digest is due (for the worker's due work)."""
    return bool(due_organisations(now))


def _claim(organisation_id, today):
    """Take today's digest of the organisation: True for exactly one caller per day."""
    stamp = today.isoformat()
    claimed = db.session.execute(
        update(OrganisationSetting).where(
            OrganisationSetting.organisation_id == organisation_id,
            OrganisationSetting.name == SENT_SETTING, OrganisationSetting.value != stamp)
        .values(value=stamp)).rowcount == 1
    if claimed or _setting(organisation_id, SENT_SETTING) is not None:
        return claimed
    try:
        with db.session.begin_nested():
            db.session.add(OrganisationSetting(organisation_id=organisation_id,
                                               name=SENT_SETTING, value=stamp))
    except IntegrityError:  # another worker inserted it first
        return False
    return True


def send_due(now=None):
    """Send every due digest; returns how many emails were queued."""
    now = now or utcnow()
    count = 0
    for org in due_organisations(now):
        try:
            count += send_one(org, now)
        except Exception:
            db.session.rollback()
            log.exception("watch digest of organisation %s not sent", org.id)
    return count


def send_one(org, now):
    """Claim the organisation's digest of today, queue one email per recipient, mark the
    matches digested, commit; returns how many emails were queued (0 if not claimed)."""
    today, at = _cutoff(org, now)
    if not _claim(org.id, today):
        db.session.rollback()
        return 0
    matches = db.session.execute(_pending(org.id, at).order_by(ItemMatch.created_at,
                                                               ItemMatch.id)
                                 .limit(MAX_MATCHES)).scalars().all()
    per_user, users = defaultdict(list), {}
    for match in matches:
        for user in match.watch_list.recipients:
            if user.is_active and user.organisation_id == org.id:
                per_user[user.id].append(match)
                users[user.id] = user
    for user_id, mine in per_user.items():
        _queue(users[user_id], org, mine)
    if matches:
        db.session.execute(update(ItemMatch).where(ItemMatch.id.in_([m.id for m in matches]))
                           .values(digested_at=now))
    db.session.commit()
    return len(per_user)


def _entries(matches):
    """The digest's lines: one per item, its terms and pages, the first snippet."""
    by_item = {}
    for match in matches:
        entry = by_item.setdefault(match.item_id, {
            "item": db.session.get(Item, match.item_id), "terms": [], "pages": [],
            "lists": [], "snippet": match.snippet})
        for key, value in (("terms", match.term), ("pages", match.page),
                           ("lists", match.watch_list.name)):
            if value is not None and value not in entry[key]:
                entry[key].append(value)
    entries = []
    for entry in by_item.values():
        item = entry["item"]
        entries.append({**entry, "title": str(item),
                        "source": item.source.name if item.source else "",
                        "terms": ", ".join(f"“{t}”" for t in entry["terms"]),
                        "pages": ", ".join(str(p) for p in sorted(entry["pages"])),
                        "lists": ", ".join(entry["lists"]),
                        "link": notifications.item_url(item.id)})
    return entries


def _locale(user, org):
    languages = current_app.config["LANGUAGES"]
    if user.locale in languages:
        return user.locale
    lang = watch.language(org.id)
    return lang if lang in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _queue(user, org, matches):
    entries = _entries(matches)
    with force_locale(_locale(user, org)):
        subject = ngettext("Watch lists: %(num)d new find", "Watch lists: %(num)d new finds",
                           len(entries))
        context = {"subject": subject, "entries": entries, "organisation": org.name}
        text = render_template("email/watch_digest.txt", **context)
        html = render_template("email/watch_digest.html", **context)
    mail.queue(user.email, subject, text, html, organisation_id=org.id)
