"""The worker: runs due outbox work in a loop; every job is safe to run twice."""
import time

from . import mail, media
from .publishing import sender


def run_once(now=None):
    """One pass over everything that is due (by `now`, default the clock)."""
    return {"publications": sender.send_due(now=now), "emails": mail.send_due(),
            "renditions": media.render_due(now=now)}


def run_forever(app, poll_seconds):
    """Poll until interrupted; each pass in its own app context."""
    while True:
        with app.app_context():
            try:
                run_once()
            except Exception:
                app.logger.exception("worker pass failed")
        time.sleep(poll_seconds)
