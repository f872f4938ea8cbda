"""Keeping watch lists: their names, terms (one per line or separated by commas; "quoted
phrases" are exact), delivery (at once or in the daily digest) and recipients. Everyone in
the organisation reads them; its editors and admins change them. A new or changed list is
matched at once against the last month's items, without telling anyone, so the inbox shows
what it would have found."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, org_settings, stemming
from ..access import can_manage_sources, can_monitor, get_or_404, parse_id
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..models import WATCH_DELIVERY, ItemMatch, User, WatchList, utcnow
from ..validation import text_field
from . import digest, watch

MAX_NAME = 200
MAX_TERMS = 200
MAX_TERM = 100
MAX_TERMS_TEXT = 40_000
MAX_SAMPLE = 20_000
RECENT_DAYS = 7  # the list page counts the matches of this many days


def require_read(user):
    if not can_monitor(user):
        raise Forbidden(_("You belong to no organisation."))


def require_manage(user):
    if not can_manage_sources(user):
        raise Forbidden(_("Only the organisation's editors and admins change watch lists."))


def for_organisation(user):
    """The organisation's watch lists by name."""
    require_read(user)
    return db.session.execute(select(WatchList).where(
        WatchList.organisation_id == user.organisation_id)
        .order_by(WatchList.name, WatchList.id)).scalars().all()


def get_watch_list(user, watch_list_id):
    """A watch list of the user's organisation, else NotFound."""
    require_read(user)
    return get_or_404(WatchList, watch_list_id,
                      WatchList.organisation_id == user.organisation_id,
                      message=_("No such watch list."))


def recent_counts(organisation_id, now=None, days=RECENT_DAYS):
    """{watch list id: how many matches it recorded in the last `days` days}."""
    since = (now or utcnow()) - timedelta(days=days)
    rows = db.session.execute(
        select(ItemMatch.watch_list_id, func.count(ItemMatch.id))
        .join(WatchList, WatchList.id == ItemMatch.watch_list_id)
        .where(WatchList.organisation_id == organisation_id, ItemMatch.created_at >= since)
        .group_by(ItemMatch.watch_list_id)).all()
    return dict(rows)


def split_terms(raw):
    """The terms as stored, from text (one per line, or separated by commas or semicolons)
    or a list of such texts: a quoted phrase keeps its quotes; blanks and repeats go."""
    if raw is None:
        raw = []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(chunk, str) for chunk in raw):
        raise ValidationError(_("Terms must be text."), field="terms")
    terms = []
    for chunk in raw:
        for quoted, plain in stemming.TERM_RE.findall(chunk.replace("\x00", "")):
            text = " ".join((quoted or plain).split())
            term = f'"{text}"' if quoted and text else text
            if text and term not in terms:
                terms.append(term)
    return terms


def clean_terms(raw):
    """The terms checked: at least one, at most MAX_TERMS, none longer than MAX_TERM
    characters, each with a word to look for."""
    if isinstance(raw, str) and len(raw) > MAX_TERMS_TEXT:
        raise ValidationError(_("Too many terms (at most %(limit)d).", limit=MAX_TERMS),
                              field="terms")
    terms = split_terms(raw)
    if not terms:
        raise ValidationError(_("Write at least one word or phrase to watch for."),
                              field="terms")
    if len(terms) > MAX_TERMS:
        raise ValidationError(_("Too many terms (at most %(limit)d).", limit=MAX_TERMS),
                              field="terms")
    for term in terms:
        if len(term.strip('"')) > MAX_TERM:
            raise ValidationError(_("“%(term)s…” is too long (at most %(limit)d characters "
                                    "a term).", term=term[:40], limit=MAX_TERM), field="terms")
        if not stemming.WORD_RE.search(term):
            raise ValidationError(_("“%(term)s” has no word to look for.", term=term),
                                  field="terms")
    return terms


def clean_recipients(user, recipient_ids):
    """The recipients: active users of the user's organisation, by id."""
    if recipient_ids is None:
        return []
    if not isinstance(recipient_ids, (list, tuple)):
        raise ValidationError(_("Recipients must be a list of people."), field="recipient_ids")
    ids = {parse_id(value) for value in recipient_ids}
    users = db.session.execute(select(User).where(
        User.id.in_([i for i in ids if i is not None]),
        User.organisation_id == user.organisation_id, User.active.is_(True))).scalars().all()
    if None in ids or len(users) != len(ids):
        raise ValidationError(_("Recipients must be active people of your organisation."),
                              field="recipient_ids")
    return sorted(users, key=lambda u: (u.name, u.id))


def _clean(user, watch_list, name, terms, delivery, recipient_ids):
    name = text_field(name, MAX_NAME, _("Name"), "name", required=True, single_line=True)
    clash = db.session.execute(select(WatchList.id).where(
        WatchList.organisation_id == user.organisation_id, WatchList.name == name)).scalar()
    if clash is not None and (watch_list is None or clash != watch_list.id):
        raise ValidationError(_("Another watch list is called %(name)s.", name=name),
                              field="name")
    if delivery not in WATCH_DELIVERY:
        raise ValidationError(_("Delivery must be at once or in the daily digest."),
                              field="delivery")
    return name, clean_terms(terms), clean_recipients(user, recipient_ids)


def save(user, watch_list, name, terms_text, delivery, recipient_ids, active=True, now=None):
    """Add a watch list (watch_list None) or change one; audited; a new, changed or
    re-activated list is matched against the recent items without telling anyone."""
    require_manage(user)
    name, terms, recipients = _clean(user, watch_list, name, terms_text, delivery,
                                     recipient_ids)
    active = bool(active)
    action, rematch = "watch_list.updated", True
    if watch_list is None:
        watch_list = WatchList(organisation_id=user.organisation_id, created_by_id=user.id)
        db.session.add(watch_list)
        action = "watch_list.created"
    else:
        rematch = terms != watch_list.terms or (active and not watch_list.active)
    watch_list.name, watch_list.terms, watch_list.delivery = name, terms, delivery
    watch_list.active, watch_list.recipients = active, recipients
    db.session.flush()
    audit.record(user, action, watch_list, name=name, terms=terms, delivery=delivery,
                 active=active, recipients=[u.id for u in recipients])
    if rematch:
        watch.apply_to_recent(watch_list, now=now)
    db.session.commit()
    return watch_list


def remove(user, watch_list):
    """Delete a watch list and its matches; audited."""
    require_manage(user)
    audit.record(user, "watch_list.removed", watch_list, name=watch_list.name,
                 terms=watch_list.terms)
    db.session.delete(watch_list)
    db.session.commit()


def preview(organisation_id, terms_text, sample):
    """Try terms on a sample text: (the sample with the matches marked, the terms that
    matched, as written)."""
    sample = text_field(sample, MAX_SAMPLE, _("Sample text"), "sample")
    terms = split_terms(terms_text)[:MAX_TERMS]
    lang = watch.language(organisation_id)
    spans = stemming.find(sample, stemming.parse_terms(terms, lang), lang)
    found = list(dict.fromkeys(span[2].text for span in spans))
    return stemming.highlight(sample, spans), found


def set_digest_hour(user, value):
    """Set the local hour (0-23, the organisation's zone) of the daily digest; audited,
    commits. Returns the hour."""
    require_manage(user)
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or int(text) > 23:
        raise ValidationError(_("Choose an hour from 0 to 23."), field="digest_hour")
    hour = int(text)
    if org_settings.write(user.organisation_id, {digest.HOUR_SETTING: str(hour)}):
        audit.record(user, "monitoring.digest_hour_changed", None,
                     organisation_id=user.organisation_id, hour=hour)
    db.session.commit()
    return hour
