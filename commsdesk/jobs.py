"""The worker: runs due outbox work in a loop; every job is safe to run twice."""
import time

from . import mail, workflow


def run_once():
    """One pass over everything that is due."""
    ready = workflow.check_due_schedules()
    return {"emails": mail.send_due(), "due_for_publishing": len(ready)}


def run_forever(app, poll_seconds):
    """Poll until interrupted; each pass in its own app context."""
    while True:
        with app.app_context():
            try:
                run_once()
            except Exception:
                app.logger.exception("worker pass failed")
        time.sleep(poll_seconds)
