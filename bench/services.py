"""PostgreSQL and Redis for a benchmark: the ones named by COMMSDESK_BENCH_DATABASE_URL and
COMMSDESK_BENCH_REDIS_URL, or throwaway ones started here from Debian's binaries
(postgresql 15, redis-server) and removed afterwards."""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time

from bench.served import free_port

PGBIN = "/usr/lib/postgresql/15/bin"


def _as_postgres(command):
    """Run a PostgreSQL tool as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(command)]
    return command


@contextlib.contextmanager
def postgres():
    """Yields a SQLAlchemy URL of an empty PostgreSQL database."""
    given = os.environ.get("COMMSDESK_BENCH_DATABASE_URL")
    if given:
        yield given
        return
    if not os.path.exists(f"{PGBIN}/initdb"):
        raise SystemExit("This benchmark needs PostgreSQL 15 (apt-get install postgresql) or "
                         "COMMSDESK_BENCH_DATABASE_URL.")
    folder = tempfile.mkdtemp(prefix="bench-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    data = f"{folder}/data"
    subprocess.run(_as_postgres([f"{PGBIN}/initdb", "-D", data, "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"]),
                   check=True, stdout=subprocess.DEVNULL)
    options = f"'-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off " \
              f"-c max_connections=200'"
    subprocess.run(_as_postgres([f"{PGBIN}/pg_ctl", "-D", data, "-l", f"{folder}/pg.log",
                                 "-w", "-o", options, "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([f"{PGBIN}/pg_ctl", "-D", data, "-m", "fast", "-w",
                                     "stop"]), stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def redis():
    """Yields a Redis URL of an empty database."""
    given = os.environ.get("COMMSDESK_BENCH_REDIS_URL")
    if given:
        yield given
        return
    if not shutil.which("redis-server"):
        raise SystemExit("This benchmark needs redis-server (apt-get install redis-server) or "
                         "COMMSDESK_BENCH_REDIS_URL.")
    port = free_port()
    process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                                "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
