"""The WordPress channel: the same texts as the newsroom, pushed to an existing WordPress
site through its REST API (`POST /wp-json/wp/v2/posts`), authenticated with HTTP Basic
auth and an application password (Users → Profile → Application Passwords).

Exactly once: the post's slug is chosen before sending from the row's idempotency key, so
after an attempt whose outcome is unknown `lookup` asks the site for that slug
(`GET /wp-json/wp/v2/posts?slug=…&status=…`) and finds an earlier attempt instead of
posting twice."""
import html
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import utcnow
from . import credentials, http
from .base import Adapter, AuthError, Field, PermanentError, SendResult
from .website import WebsiteAdapter, slugify

PLATFORM = "WordPress"
# Every status a post we created may have by now (a person may have unpublished it).
LOOKUP_STATUSES = "publish,future,draft,pending,private"
SECRETS = ("username", "application_password")


def site_url(channel):
    """The site's address without a trailing slash."""
    return (channel.settings or {}).get("site_url", "").rstrip("/")


def api_url(channel, path):
    return f"{site_url(channel)}/wp-json/wp/v2/{path}"


def post_slug(publication):
    """The slug this row's post gets on every attempt: readable, and unique by the row's
    idempotency key so a lookup finds exactly this row's post."""
    base = slugify(publication.payload.get("title", ""))[:60].rstrip("-")
    return f"{base}-{publication.idempotency_key[:12]}"


def _auth(channel):
    values = credentials.for_sending(
        channel, "username", "application_password",
        missing=_("The WordPress channel has no application password; add it under "
                  "Channels."))
    return values["username"], values["application_password"]


def _refusal(response):
    """A PermanentError for a reply that will not change by trying again."""
    if response.status_code in (401, 403):
        return AuthError(_("WordPress refused the application password (HTTP %(status)d)."
                                " Check the user name and create a new application password.",
                                status=response.status_code))
    if 300 <= response.status_code < 400:
        return PermanentError(_("The WordPress site redirects to %(location)s; save that "
                                "address as the site's address.",
                                location=response.headers.get("Location", "?")))
    if response.status_code == 404:
        return PermanentError(_("No WordPress REST API was found at %(url)s (HTTP 404).",
                                url=response.url))
    body = http.json_or_none(response) or {}
    message = body.get("message") if isinstance(body, dict) else None
    return PermanentError(_("WordPress did not accept the post (HTTP %(status)d): %(message)s",
                            status=response.status_code,
                            message=str(message or response.reason)[:300]))


def _result(post):
    if not isinstance(post, dict) or "id" not in post:
        raise PermanentError(_("WordPress answered with something that is not a post."))
    return SendResult(external_id=str(post["id"]), url=post.get("link"))


def _content(payload):
    """The post's HTML: the rendered body, then the signatories of a joint text."""
    parts = [payload.get("html", "")]
    for person in payload.get("signatories") or []:
        line = ", ".join(html.escape(p) for p in (person.get("name"), person.get("title"),
                                                  person.get("organisation")) if p)
        parts.append(f"<p>{line}</p>")
    return "\n".join(parts)


class WordPressAdapter(Adapter):
    type = "wordpress"
    label = _l("WordPress site")
    kinds = WebsiteAdapter.kinds
    supports_images = False
    can_look_up = True
    can_withdraw = True
    fields = (
        Field("site_url", _l("Site address"), "url", placeholder="https://www.example.org"),
        Field("username", _l("User name"), max_length=200, encrypted=True),
        Field("application_password", _l("Application password"), "secret", max_length=200),
    )
    instructions = _l("Texts go to the site through its REST API. In WordPress, open Users → "
                      "Profile → Application Passwords, create one for commsdesk and paste it "
                      "here. It is stored encrypted and never shown again.")

    def format(self, doc, revision, channel):
        # The newsroom's payload: what the site shows is what the newsroom shows.
        return WebsiteAdapter().format(doc, revision, channel)

    def post_body(self, publication):
        """The JSON sent to create the post."""
        payload = publication.payload
        body = {"title": payload.get("title", ""), "content": _content(payload),
                "excerpt": payload.get("lead", ""), "slug": post_slug(publication),
                "status": "publish"}
        embargo = payload.get("embargo_until")
        if embargo and datetime.fromisoformat(embargo) > utcnow():
            # WordPress keeps a post with a future date unpublished until that time.
            body["status"] = "future"
            body["date_gmt"] = datetime.fromisoformat(embargo).strftime("%Y-%m-%dT%H:%M:%S")
        return body

    def send(self, channel, publication):
        response = http.request("POST", api_url(channel, "posts"), PLATFORM,
                                auth=_auth(channel), json=self.post_body(publication))
        if response.status_code not in (200, 201):
            raise _refusal(response)
        return _result(http.json_or_none(response))

    def lookup(self, channel, publication):
        response = http.request("GET", api_url(channel, "posts"), PLATFORM, auth=_auth(channel),
                                params={"slug": post_slug(publication),
                                        "status": LOOKUP_STATUSES})
        if response.status_code != 200:
            raise _refusal(response)
        posts = http.json_or_none(response)
        if not isinstance(posts, list):
            raise PermanentError(_("WordPress answered the lookup with something that is "
                                   "not a list of posts."))
        return _result(posts[0]) if posts else None

    def withdraw(self, channel, publication):
        """Make the post a draft again: off the site, kept for the record."""
        if not publication.external_id:
            return None
        response = http.request("POST", api_url(channel, f"posts/{publication.external_id}"),
                                PLATFORM, auth=_auth(channel), json={"status": "draft"})
        if response.status_code != 200:
            raise _refusal(response)
        return _result(http.json_or_none(response))

    def test_connection(self, channel):
        """Who the credentials sign in as (GET /users/me); raises a ChannelError if not."""
        response = http.request("GET", api_url(channel, "users/me"), PLATFORM,
                                auth=_auth(channel))
        if response.status_code != 200:
            raise _refusal(response)
        user = http.json_or_none(response) or {}
        return str(user.get("name") or user.get("slug") or "?") if isinstance(user, dict) \
            else "?"
