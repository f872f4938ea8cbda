"""No English in the Swedish and Norwegian pages the journeys visit.

Two checks per page and language, against the catalogues as they are on disk when the test
runs (strings added since the last translation round are caught too):
- no English source string (msgid of two words or more) that the language translates
  differently, or not at all, appears in the page: it was left untranslated, or translated
  once at import in another language;
- no text of three or more plain ASCII words is the same in the English and the translated
  page: English that is not marked for translation at all (names from the data are allowed).
"""
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import login_as, make_org, make_user, share
from sqlalchemy import select

from commsdesk import coalition, discussion, documents, previews, workflow
from commsdesk.extensions import db
from commsdesk.models import Suggestion, utcnow

CATALOGUES = Path(__file__).resolve().parent.parent / "commsdesk" / "translations"
LANGUAGES = ("sv", "nb")
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[^}]*\}")
WORD = r"[A-Za-z]+(?:['’-][A-Za-z]+)*"
PLAIN_ENGLISH = re.compile(rf"\(?{WORD}(?:[ ,.:;!?()]+{WORD})*[.!?:)]?")
# Words that read the same in every language: product, format and platform names.
ALLOWED = {"commsdesk", "Markdown", "JSON", "CSV", "PDF", "Bluesky", "Mastodon", "LinkedIn",
           "Instagram", "Facebook", "Admin"}
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


# --- reading the catalogues and the pages -----------------------------------------------

def _words(text):
    return re.findall(r"[A-Za-z]+", text)


def _pattern(msgid):
    """A regex for the msgid as shown, its placeholders filled with anything; None when its
    fixed text is under two words (too short to tell English from a name)."""
    literal = PLACEHOLDER.split(" ".join(msgid.split()))
    if sum(len(_words(part)) for part in literal) < 2:
        return None
    body = r".{1,200}?".join(re.escape(part) for part in literal)
    return re.compile(r"(?<![\w])" + body + r"(?![\w])")


def _english_in(language):
    """(msgid, pattern) of the catalogue's msgids whose text in the language is not the
    English one: untranslated (empty msgstr) or translated differently."""
    with open(CATALOGUES / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) \
            else (message.string,)
        if any(s and s == i for s, i in zip(strings, ids, strict=False)):
            continue  # the same words in both languages (names, formats)
        for msgid in ids:
            pattern = _pattern(msgid)
            if pattern is not None:
                found.append((msgid, pattern))
    return found


class _Text(HTMLParser):
    """The text a reader sees (or hears from a screen reader): text nodes outside script,
    style and template, and the visible attributes."""

    SKIP = {"script", "style", "template", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        for name, value in attrs:
            if value and (name in VISIBLE_ATTRIBUTES or name.startswith("data-msg-")):
                self.nodes.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.nodes.append(data)


def visible_text(html):
    """The page's visible text nodes, whitespace collapsed, empty ones left out."""
    parser = _Text()
    parser.feed(html)
    return [" ".join(n.split()) for n in parser.nodes if n.strip()]


# --- the world the journeys walk through --------------------------------------------------

class World:
    """Two parties, their staff, and a document in each state the journeys see."""

    def __init__(self):
        self.mitten = make_org("mitten", "Mittenpartiet")
        self.grona = make_org("grona", "Gröna Älvstad")
        self.editor = make_user(self.mitten, "editor", email="sekreterare@mitten.example")
        self.leader = make_user(self.mitten, "approver", email="gruppledare@mitten.example")
        self.member = make_user(self.mitten, "contributor", email="ledamot@mitten.example")
        self.admin = make_user(self.mitten, "admin", email="admin@mitten.example")
        self.partner = make_user(self.grona, "editor", email="sekreterare@grona.example")
        self.partner_leader = make_user(self.grona, "approver", email="ledare@grona.example")
        self.docs = {}
        self._drafts()
        self._reviews()
        self._shared()

    def _doc(self, key, kind="press_release", title=None, **content):
        content.setdefault("body", "Älvstad behöver fler förskoleplatser.")
        doc = documents.create_document(self.editor, kind, {"title": title or f"Utkast {key}",
                                                            **content},
                                        deadline=utcnow() + timedelta(days=2))
        self.docs[key] = doc
        return doc

    def _drafts(self):
        draft = self._doc("draft", lead="Ingress här.")
        text = dict(draft.current_revision.content, body="Älvstad behöver många fler platser.")
        documents.save_revision(self.editor, draft, text, draft.current_revision_id,
                                note="Kortare")
        documents.restore_revision(self.editor, draft, draft.current_revision.parent_id)
        discussion.add_comment(self.member, draft, "Bra! @sekreterare")

    def _reviews(self):
        review = self._doc("in_review")
        workflow.submit(self.editor, review, due_at=utcnow() + timedelta(days=1))
        changes = self._doc("changes_requested")
        workflow.submit(self.editor, changes)
        workflow.request_changes(self.leader, changes, "Kortare, tack.")
        approved = self._doc("approved")
        workflow.submit(self.editor, approved)
        workflow.approve(self.leader, approved)
        scheduled = self._doc("scheduled")
        workflow.submit(self.editor, scheduled)
        workflow.approve(self.leader, scheduled)
        workflow.schedule(self.editor, scheduled, utcnow() + timedelta(days=1))
        published = self._doc("published")
        workflow.submit(self.editor, published)
        workflow.approve(self.leader, published)
        workflow.publish(self.editor, published)
        archived = self._doc("archived")
        workflow.archive(self.editor, archived)

    def _shared(self):
        oped = self._doc("shared", kind="op_ed", title="Kollektivtrafiken i Älvstad",
                         fields={"outlet": "Älvstads Tidning"})
        share(oped, self.grona)
        coalition.add_signatory(self.editor, oped, "Eva Sjöberg", "gruppledare")
        coalition.add_signatory(self.partner, oped, "Sara Ek", "språkrör")
        workflow.submit(self.editor, oped)
        workflow.approve(self.leader, oped)
        text = dict(oped.current_revision.content, body="Bussen måste gå oftare.")
        discussion.create_suggestion(self.partner, oped, text, oped.current_revision_id,
                                     note="Tydligare.")
        # Sharing that changes who must approve moves the document on by itself.
        agreed = self._doc("agreed_by_unshare", kind="letter", title="Badhuset")
        share(agreed, self.grona)
        workflow.submit(self.editor, agreed)
        workflow.approve(self.leader, agreed)
        coalition.unshare(self.editor, agreed, self.grona)
        self.link = previews.create_link(self.editor, oped, "Tidningen")[1]


def _pages(world):
    """(user, url) of every page the journeys visit."""
    docs = world.docs
    oped = docs["shared"]
    suggestion = db.session.execute(
        select(Suggestion).where(Suggestion.document_id == oped.id)).scalar_one()
    pages = [(world.editor, url) for url in (
        "/", "/documents", "/documents/new", "/inbox", "/inbox/preferences", "/account/",
        "/documents?state=in_review",
    )]
    pages += [(world.admin, url) for url in ("/audit", "/settings/approvals")]
    pages += [(world.leader, "/"), (world.leader, "/inbox"), (world.partner, "/"),
              (world.partner_leader, "/")]
    pages += [(world.editor, f"/documents/{doc.id}") for doc in docs.values()]
    draft = docs["draft"]
    first, last = draft.current_revision.number - 2, draft.current_revision.number
    pages += [(world.editor, url) for url in (
        f"/documents/{draft.id}/edit", f"/documents/{draft.id}/history",
        f"/documents/{draft.id}/diff?from={first}&to={last}",
        f"/documents/{draft.id}/revisions/{draft.current_revision_id}",
        f"/documents/{draft.id}/audit",
        f"/documents/{oped.id}/edit", f"/documents/{oped.id}/trail",
        f"/documents/{docs['agreed_by_unshare'].id}/trail",
        f"/documents/{oped.id}/suggestions", f"/documents/{oped.id}/suggestions/{suggestion.id}",
    )]
    pages += [(world.leader, f"/documents/{docs['in_review'].id}"),
              (world.partner, f"/documents/{oped.id}"),
              (world.partner, f"/documents/{oped.id}/suggest"),
              (world.partner_leader, f"/documents/{oped.id}")]
    pages.append((None, f"/p/{world.link}"))
    return pages


@pytest.fixture
def world(app):
    return World()


def _client(app, user, language, cache):
    key = (user.id if user else None, language)
    if key not in cache:
        client = login_as(app, user) if user else app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        cache[key] = client
    return cache[key]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return visible_text(response.get_data(as_text=True))


def _english_left(nodes, english_nodes, catalogue, allowed):
    """What is English in a translated page: catalogue msgids, and text the English page
    has word for word."""
    text = " | ".join(nodes)
    found = {msgid for msgid, pattern in catalogue if pattern.search(text)}
    same = set(nodes) & set(english_nodes)
    for node in same:
        if PLAIN_ENGLISH.fullmatch(node) and len(_words(node)) >= 3 \
                and not set(_words(node)) <= allowed and node not in allowed:
            found.add(node)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_english(app, world, language):
    catalogue = _english_in(language)
    allowed = ALLOWED | {u.name for u in (world.editor, world.leader, world.member,
                                          world.admin, world.partner, world.partner_leader)}
    clients, problems = {}, {}
    for user, url in _pages(world):
        english = _get(_client(app, user, "en", clients), url)
        translated = _get(_client(app, user, language, clients), url)
        left = _english_left(translated, english, catalogue, allowed)
        if left:
            problems[url] = sorted(left)
    assert not problems, problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_workflow_messages_are_in_the_language_of_whoever_acts(app, world, language):
    catalogue = _english_in(language)
    # The process is in English first, so a message made once at import would be English.
    login_as(app, world.editor).get("/")
    client = _client(app, world.editor, language, {})
    doc = world.docs["draft"]
    response = client.form(f"/documents/{doc.id}/actions/submit", follow_redirects=True)
    assert response.status_code == 200
    nodes = visible_text(response.get_data(as_text=True))
    assert not _english_left(nodes, [], catalogue, ALLOWED)


def test_the_check_finds_english(app, world):
    """The checks themselves: an English msgid and unmarked English are both found."""
    catalogue = _english_in("sv")
    nodes = ["Sent for review.", "Nothing to see here", "Eva Sjöberg"]
    found = _english_left(nodes, ["Nothing to see here", "Eva Sjöberg"], catalogue, ALLOWED)
    assert found == {"Sent for review.", "Nothing to see here"}


def test_dates_read_the_same_way_everywhere(app, world):
    """English dates are unambiguous: a month name, never 12/4/26."""
    client = login_as(app, world.editor)
    page = " ".join(_get(client, f"/documents/{world.docs['in_review'].id}"))
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", page)
    assert re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b",
                     page)


def test_login_page(app):
    """The login page has no English for a Swedish or Norwegian browser either."""
    for language in LANGUAGES:
        catalogue = _english_in(language)
        english = visible_text(app.test_client().get(
            "/login", headers={"Accept-Language": "en"}).get_data(as_text=True))
        translated = visible_text(app.test_client().get(
            "/login", headers={"Accept-Language": language}).get_data(as_text=True))
        assert not _english_left(translated, english, catalogue, ALLOWED), language

