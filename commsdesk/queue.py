"""Scale-out on Redis with RQ: any number of `flask --app commsdesk worker` processes, on
any number of machines, share one named queue (COMMSDESK_RQ_QUEUE, default "commsdesk").

Each worker runs a clock thread that every COMMSDESK_WORKER_POLL_SECONDS reconciles rows
abandoned by dead workers and enqueues one job per due row id (publications and emails),
and an RQ worker that runs jobs. A job claims its row in the database before it acts, so a
row enqueued by two clocks, or twice by one, is still sent once; a job lost with Redis is
found again by the next tick, because the row is still due. The queue only distributes.
The clocks take turns (a lock in Redis), so one row's job is never in the queue twice.

The RQ worker is a SimpleWorker (jobs run in the worker process, no fork per job): the
database engine's pooled connections must not be shared with a forked child, and the job
is one HTTP request, not CPU work that needs isolating."""
import contextlib
import re
import threading

from redis import Redis
from redis.exceptions import LockError
from rq import Queue, SimpleWorker
from rq.job import Job

from . import jobs

JOB_FUNCTIONS = {"publication": jobs.send_publication, "email": jobs.send_email,
                 "withdrawal": jobs.take_down, "mailing": jobs.send_mailing,
                 "renditions": jobs.render_images,
                 "submission_reminders": jobs.remind_submissions,
                 "meeting_reminders": jobs.remind_meetings,
                 "bounces": jobs.poll_bounces,
                 "monitor_digests": jobs.send_digests,
                 "monitor_polls": jobs.poll_source}
# Longer than any request may take (channels/http.TIMEOUT), shorter than the "stuck" time.
JOB_TIMEOUT = 120
# A clock tick holds the clock lock at most this long (a tick takes milliseconds; the lock
# of a worker that died mid-tick expires).
CLOCK_LOCK_SECONDS = 30
# A job that raised (the database was down) keeps its id this long before the row can be
# enqueued again; its row is still queued or will be reconciled.
FAILURE_TTL = 300


def connect(app):
    """A Redis client for COMMSDESK_REDIS_URL."""
    return Redis.from_url(app.config["REDIS_URL"])


def get_queue(app, connection=None):
    """The named RQ queue the clock fills and the workers serve."""
    return Queue(app.config["RQ_QUEUE"], connection=connection or connect(app))


def job_id(queue, kind, row_id):
    """One job id per row and queue: a row that waits in the queue is not enqueued again.
    (RQ allows letters, digits, - and _ in an id.)"""
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{queue.name}-{kind}-{row_id}")


def enqueue_due(queue, now=None):
    """One tick of the clock (in an app context): one job per due row that has none
    waiting; returns how many jobs were enqueued."""
    due = [(kind, row_id, job_id(queue, kind, row_id))
           for kind, ids in jobs.due_work(now).items() for row_id in ids]
    # Which jobs are waiting or running, asked in one round trip rather than one per row.
    pipe = queue.connection.pipeline(transaction=False)
    for _kind, _row_id, name in due:
        pipe.exists(Job.key_for(name))
    waiting = pipe.execute() if due else []
    count = 0
    for (kind, row_id, name), exists in zip(due, waiting, strict=True):
        if exists:
            continue  # a duplicate would be harmless but wasteful
        queue.enqueue_call(JOB_FUNCTIONS[kind], args=(row_id,), job_id=name,
                           timeout=JOB_TIMEOUT, result_ttl=0, failure_ttl=FAILURE_TTL,
                           description=f"send {kind} {row_id}")
        count += 1
    return count


def tick(queue):
    """One tick of this worker's clock, unless another worker's clock is ticking right now:
    the check that a row's job exists and the enqueueing are then never interleaved, so two
    clocks cannot put one row's job in the queue twice. Returns the jobs enqueued (None when
    another clock had the tick)."""
    lock = queue.connection.lock(f"{queue.name}:clock", timeout=CLOCK_LOCK_SECONDS)
    if not lock.acquire(blocking=False):
        return None
    try:
        return enqueue_due(queue)
    finally:
        with contextlib.suppress(LockError):
            lock.release()


def run_clock(app, queue, poll_seconds, stop):
    """The clock thread: tick until `stop` is set."""
    while not stop.is_set():
        wait = poll_seconds
        with app.app_context():
            try:
                tick(queue)
                wait = jobs.pause(poll_seconds)
            except Exception:
                app.logger.exception("clock tick failed")
        stop.wait(wait)


def run_worker(app, burst=False, clock=True):
    """Serve the queue in this process (with the clock in a thread unless `clock` is
    False); with `burst`, one tick, then run what is queued and return."""
    connection = connect(app)
    queue = get_queue(app, connection)
    jobs.bind(app)
    stop = threading.Event()
    if burst:
        with app.app_context():
            tick(queue)
    elif clock:
        threading.Thread(target=run_clock, name="commsdesk-clock", daemon=True,
                         args=(app, queue, app.config["WORKER_POLL_SECONDS"], stop)).start()
    try:
        SimpleWorker([queue], connection=connection).work(burst=burst, logging_level="WARNING")
    finally:
        stop.set()
