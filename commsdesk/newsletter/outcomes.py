"""Recording what the SMTP server answered for a batch of deliveries: one executemany per
kind of outcome, in the transaction of the send-out's group commit."""
from datetime import timedelta

from sqlalchemy import bindparam, text

from ..extensions import db
from ..models.base import UTCDateTime

MAX_ATTEMPTS = 5


def backoff(attempts):
    """Wait before the next attempt after a 4xx reply: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


_AT = bindparam("at", type_=UTCDateTime)
MARK = text("UPDATE deliveries SET state = 'sending', claimed_at = :at "
            "WHERE id = :id AND claimed_by = :claim AND state = 'queued'").bindparams(_AT)
_SENT = text("UPDATE deliveries SET state = 'sent', sent_at = :at, attempts = attempts + 1, "
             "last_error = NULL, claimed_by = NULL WHERE id = :id").bindparams(_AT)
_FAILED = text("UPDATE deliveries SET state = :state, last_error = :error, "
               "attempts = attempts + 1, claimed_by = NULL WHERE id = :id")
_RELEASE = text("UPDATE deliveries SET state = 'queued', claimed_by = NULL, claimed_at = NULL "
                "WHERE id = :id")
_RETRY = text("UPDATE deliveries SET state = 'queued', last_error = :error, "
              "attempts = attempts + 1, next_attempt_at = :next, claimed_by = NULL, "
              "claimed_at = NULL WHERE id = :id").bindparams(bindparam("next", type_=UTCDateTime))


def write_outcomes(outcomes, stamp):
    """The outcomes, one executemany per kind (the caller commits)."""
    sent = [{"id": o.row[0], "at": stamp} for o in outcomes if o.state == "sent"]
    final, retry = [], []
    release = [{"id": o.row[0]} for o in outcomes if o.state == "release"]
    for o in outcomes:
        if o.state == "release":
            continue
        if o.state == "retry" and o.row[4] + 1 < MAX_ATTEMPTS:
            retry.append({"id": o.row[0], "error": o.error,
                          "next": stamp + backoff(o.row[4] + 1)})
        elif o.state != "sent":
            state = "failed" if o.state == "retry" else o.state
            final.append({"id": o.row[0], "state": state, "error": o.error})
    for statement, params in ((_SENT, sent), (_FAILED, final), (_RETRY, retry),
                              (_RELEASE, release)):
        if params:
            db.session.execute(statement, params)
