"""The two README commands: `make run` serves the Procfile (gunicorn beside the worker) on the
port given, `make test` makes sure of Debian's chromium before the suite starts."""
import os
import subprocess
from pathlib import Path

from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parent.parent


def make(*args, **env):
    """make in the checkout, without the variables of a make that may be running this suite."""
    environ = {key: value for key, value in os.environ.items()
               if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PORT", "COMMSDESK_BASE_URL"}}
    environ.update(env)
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=30)


def procfile():
    return parse_procfile((ROOT / "Procfile").read_text()).processes


def shell_words(command, **env):
    """The words a shell makes of a Procfile command, with these variables set."""
    result = subprocess.run(["sh", "-c", f'set -- {command}; printf "%s\\n" "$@"'],
                            env={"PATH": os.environ["PATH"], **env},
                            capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_procfile_serves_the_app_with_gunicorn_on_port_and_bind_host():
    words = shell_words(procfile()["web"], PORT="8080", BIND_HOST="127.0.0.1")
    assert words[0] == "gunicorn" and words[-1] == "commsdesk:create_app()"
    assert words[words.index("--bind") + 1] == "127.0.0.1:8080"
    assert int(words[words.index("--workers") + 1]) > 1


def test_procfile_binds_every_address_when_not_told_otherwise():
    words = shell_words(procfile()["web"], PORT="8000")
    assert words[words.index("--bind") + 1] == "0.0.0.0:8000"


def test_procfile_runs_the_worker_as_its_own_process():
    assert procfile()["worker"] == "flask --app commsdesk worker"


def test_make_run_serves_the_procfile_on_the_port_given():
    result = make("-n", "run", "PORT=8080")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "honcho start --port 8080" in out
    assert 'COMMSDESK_BASE_URL="http://127.0.0.1:8080"' in out and "BIND_HOST=127.0.0.1" in out
    assert out.index("db upgrade") < out.index("demo --if-empty") < out.index("honcho start")
    # the demo queues emails: their links must follow the port too
    demo_line = next(line for line in out.splitlines() if "demo --if-empty" in line)
    assert 'COMMSDESK_BASE_URL="http://127.0.0.1:8080"' in demo_line
    assert "serve" not in out.replace("serves", "")


def test_make_run_keeps_a_base_url_that_is_set():
    result = make("-n", "run", "PORT=8080", COMMSDESK_BASE_URL="https://desk.example.se")
    assert 'COMMSDESK_BASE_URL="https://desk.example.se"' in result.stdout
    assert "honcho start --port 8080" in result.stdout


def test_make_test_looks_for_chromium_before_the_suite():
    out = make("-n", "test").stdout
    assert ".ci/chromium" in out
    assert out.index(".ci/chromium") < out.index("pytest")


def test_without_chromium_make_says_what_to_do_in_one_line():
    result = make("chromium", COMMSDESK_CHROMIUM="/nonexistent/chromium")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert len(lines) == 1 and "COMMSDESK_CHROMIUM=/nonexistent/chromium" in lines[0]
