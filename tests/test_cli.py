"""The command-line interface: every command, its help, success and clear failures."""
import pytest
from conftest import PASSWORD, make_org, make_user
from sqlalchemy import func, select

from commsdesk import demo, mail, people
from commsdesk.extensions import db
from commsdesk.models import Document, Organisation, OutgoingEmail, User

COMMANDS = [["orgs"], ["orgs", "add"], ["orgs", "list"], ["users"], ["users", "add"],
            ["users", "list"], ["tokens"], ["tokens", "issue"], ["demo"], ["worker"], ["serve"]]


def count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def user(email):
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def failed(result):
    """A clean failure: non-zero exit, a message, no traceback."""
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_help(runner, args):
    result = runner.invoke(args=[*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


# --- orgs -----------------------------------------------------------------------------

def test_orgs_add_and_list(runner):
    result = runner.invoke(args=["orgs", "add", "Mittenpartiet i Älvstad",
                                 "--slug", "mitten-alvstad"])
    assert result.exit_code == 0, result.output
    assert "mitten-alvstad" in result.output
    result = runner.invoke(args=["orgs", "add", "Gröna", "--slug", "grona",
                                 "--timezone", "Europe/Helsinki"])
    assert result.exit_code == 0, result.output
    assert people.get_organisation("grona").timezone == "Europe/Helsinki"
    assert people.get_organisation("mitten-alvstad").timezone == "Europe/Stockholm"
    listing = runner.invoke(args=["orgs", "list"])
    assert listing.exit_code == 0
    assert listing.output.splitlines() == [
        "grona\tGröna\tEurope/Helsinki",
        "mitten-alvstad\tMittenpartiet i Älvstad\tEurope/Stockholm",
    ]


@pytest.mark.parametrize("args", [
    ["orgs", "add", "Andra", "--slug", "mitten"],            # duplicate slug
    ["orgs", "add", "Bad", "--slug", "Not A Slug"],          # bad slug
    ["orgs", "add", "Bad", "--slug", "-dash"],               # bad slug
    ["orgs", "add", " ", "--slug", "blank"],                 # no name
    ["orgs", "add", "Tz", "--slug", "tz", "--timezone", "Mars/Olympus"],
    ["orgs", "add", "Noslug"],                               # --slug missing
], ids=["duplicate", "spaces", "leading-dash", "no-name", "bad-timezone", "no-slug"])
def test_orgs_add_refuses_bad_input(runner, args):
    make_org("mitten")
    output = failed(runner.invoke(args=args))
    assert "Error" in output
    assert count(Organisation) == 1


def test_orgs_add_names_the_taken_slug(runner):
    make_org("mitten")
    result = runner.invoke(args=["orgs", "add", "Andra", "--slug", "mitten"])
    assert result.exit_code == 1
    assert "mitten" in result.output


# --- users ----------------------------------------------------------------------------

def test_users_add_with_password_from_stdin_can_log_in(runner, client):
    make_org("mitten")
    result = runner.invoke(args=["users", "add", "Karin@Example.org", "--name", "Karin Lund",
                                 "--role", "admin", "--org", "mitten", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "karin@example.org" in result.output
    karin = user("karin@example.org")
    assert (karin.name, karin.role, karin.is_superuser) == ("Karin Lund", "admin", False)
    assert client.login("karin@example.org").status_code == 302


def test_users_add_superuser_with_prompted_password(runner):
    make_org("mitten")
    result = runner.invoke(args=["users", "add", "drift@example.org", "--name", "Drift",
                                 "--role", "editor", "--org", "mitten", "--superuser"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert user("drift@example.org").is_superuser


def test_users_add_password_with_windows_line_ending(runner, client):
    make_org("mitten")
    result = runner.invoke(args=["users", "add", "crlf@example.org", "--name", "Crlf",
                                 "--role", "editor", "--org", "mitten", "--password-stdin"],
                           input=PASSWORD + "\r\n")
    assert result.exit_code == 0, result.output
    assert client.login("crlf@example.org").status_code == 302


@pytest.mark.parametrize("changes, stdin", [
    ({"--org": "nowhere"}, PASSWORD),                        # unknown organisation
    ({"--role": "owner"}, PASSWORD),                         # unknown role
    ({}, "short"),                                           # password too short
    ({}, ""),                                                # no password at all
    ({"email": "not-an-email"}, PASSWORD),
    ({"email": "taken@example.org"}, PASSWORD),              # duplicate email
    ({"--name": " "}, PASSWORD),
], ids=["unknown-org", "unknown-role", "short-password", "empty-stdin", "bad-email",
        "duplicate-email", "blank-name"])
def test_users_add_refuses_bad_input(runner, changes, stdin):
    org = make_org("mitten")
    make_user(org, "editor", email="taken@example.org")
    options = {"--name": "Ny", "--role": "editor", "--org": "mitten", **changes}
    email = options.pop("email", "ny@example.org")
    args = ["users", "add", email, "--password-stdin"]
    for key, value in options.items():
        args += [key, value]
    output = failed(runner.invoke(args=args, input=stdin + "\n"))
    assert "Error" in output
    assert count(User) == 1


def test_users_add_names_the_unknown_org_and_role(runner):
    make_org("mitten")
    result = runner.invoke(args=["users", "add", "a@example.org", "--name", "A", "--role",
                                 "editor", "--org", "nowhere", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 1 and "nowhere" in result.output
    result = runner.invoke(args=["users", "add", "a@example.org", "--name", "A", "--role",
                                 "owner", "--org", "mitten", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 2 and "owner" in result.output and "contributor" in result.output


def test_users_list(runner):
    mitten, grona = make_org("mitten"), make_org("grona")
    make_user(mitten, "admin", email="a@mitten.example", superuser=True)
    disabled = make_user(mitten, "editor", email="b@mitten.example")
    people.set_active(None, disabled, False)
    make_user(grona, "editor", email="c@grona.example")
    lines = runner.invoke(args=["users", "list"]).output.splitlines()
    assert [line.split("\t")[0] for line in lines] == [
        "a@mitten.example", "b@mitten.example", "c@grona.example"]
    assert lines[0].endswith("\tmitten\tsuperuser")
    assert lines[1].endswith("\tdisabled")
    only = runner.invoke(args=["users", "list", "--org", "grona"]).output.splitlines()
    assert [line.split("\t")[0] for line in only] == ["c@grona.example"]
    failed(runner.invoke(args=["users", "list", "--org", "nowhere"]))


# --- tokens ---------------------------------------------------------------------------

def test_tokens_issue_prints_one_line_that_authenticates(runner, client):
    org = make_org("mitten")
    make_user(org, "editor", email="api@example.org")
    result = runner.invoke(args=["tokens", "issue", "API@example.org"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and result.output == lines[0] + "\n"
    token = lines[0]
    response = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert client.get("/api/v1/documents",
                      headers={"Authorization": f"Bearer {token}x"}).status_code == 401


def test_tokens_issue_refuses_unknown_and_disabled_users(runner):
    org = make_org("mitten")
    output = failed(runner.invoke(args=["tokens", "issue", "nobody@example.org"]))
    assert "nobody@example.org" in output
    disabled = make_user(org, "editor", email="gone@example.org")
    people.set_active(None, disabled, False)
    output = failed(runner.invoke(args=["tokens", "issue", "gone@example.org"]))
    assert "disabled" in output


# --- demo -----------------------------------------------------------------------------

def test_demo_loads_once(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded." in result.output and demo.PASSWORD in result.output
    assert f"/n/{demo.PARTNER[1]}/" in result.output  # where the public newsrooms are
    assert demo.loaded()
    orgs, users, docs = count(Organisation), count(User), count(Document)
    assert (orgs, users) == (2, len(demo.USERS)) and docs >= 5
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    assert "not loaded" in again.output
    assert (count(Organisation), count(User), count(Document)) == (orgs, users, docs)
    failed(runner.invoke(args=["demo"]))
    assert count(User) == users
    assert client.login(demo.USERS[1][0], demo.PASSWORD).status_code == 302


def test_demo_if_empty_loads_into_an_empty_database(runner):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert demo.loaded()


def test_demo_does_not_half_load_over_clashing_data(runner):
    make_org(demo.PARTNER[1])
    output = failed(runner.invoke(args=["demo"]))
    assert demo.PARTNER[1] in output
    assert count(Organisation) == 1 and count(User) == 0


def test_demo_beside_other_data(runner):
    make_org("annan")
    assert runner.invoke(args=["demo", "--if-empty"]).output.startswith("Data exists")
    assert not demo.loaded()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert demo.loaded() and count(Organisation) == 3


# --- worker ---------------------------------------------------------------------------

def test_worker_once_sends_due_email(runner):
    mail.queue("ny@example.org", "Hej", "Välkommen")
    db.session.commit()
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "'emails': 1" in result.output
    assert "ny@example.org" in result.output  # no SMTP host: the message is printed
    db.session.expire_all()
    assert db.session.execute(select(OutgoingEmail.state)).scalar_one() == "sent"
    assert "'emails': 0" in runner.invoke(args=["worker", "--once"]).output
