"""What the local Mastodon (mastodon_server) answers on each route, checked as Mastodon
checks it (see mastodon_server for the documented behaviour followed)."""
import html
import re
import secrets
import time
from urllib.parse import urlencode, urlsplit

LIMIT = 500
URL_LENGTH = 23
MAX_MEDIA = 4
MAX_DESCRIPTION = 1500
VISIBILITIES = ("public", "unlisted", "private", "direct")
URL_RE = re.compile(r"https?://[^\s<>\"']+")
MENTION_RE = re.compile(r"(?<![\w@])@([\w.]+)@[\w.-]+\.\w+")
SCOPE_PARENTS = {"read:accounts": "read", "read:statuses": "read",
                 "write:statuses": "write", "write:media": "write"}
INVALID_TOKEN = "The access token is invalid"


def status_length(text):
    """The length Mastodon counts: a URL as 23, a remote mention without its domain."""
    text = URL_RE.sub("x" * URL_LENGTH, text)
    return len(MENTION_RE.sub(lambda m: "@" + m.group(1), text))


def render(text):
    """Status HTML roughly as Mastodon formats it: paragraphs, line breaks, links with
    hidden parts, remote mentions shown by username."""
    def link(match):
        url = match.group(0)
        scheme, rest = url.split("://", 1)
        return (f'<a href="{html.escape(url)}" rel="nofollow noopener" target="_blank">'
                f'<span class="invisible">{scheme}://</span><span class="ellipsis">'
                f'{html.escape(rest[:30])}</span><span class="invisible">'
                f'{html.escape(rest[30:])}</span></a>')

    def paragraph(block):
        escaped = URL_RE.sub(link, html.escape(block, quote=False))
        escaped = MENTION_RE.sub(lambda m: f'<span class="h-card"><a href="#">@<span>'
                                           f'{m.group(1)}</span></a></span>', escaped)
        return "<p>" + escaped.replace("\n", "<br />") + "</p>"

    return "".join(paragraph(b) for b in re.split(r"\n{2,}", text.strip()) if b)


def one(fields, name, default=None):
    values = fields.get(name) or [default]
    return values[0]


# --- apps and OAuth ------------------------------------------------------------------------
def register_app(handler, fields):
    uris = fields.get("redirect_uris") or fields.get("redirect_uris[]") or []
    uris = [u for value in uris for u in str(value).split()]
    if not one(fields, "client_name"):
        return handler.error(422, "Validation failed: Application name can't be blank")
    if not uris or any(not urlsplit(u).scheme or not urlsplit(u).netloc for u in uris):
        return handler.error(422, "Validation failed: Redirect URI must be an absolute URI.")
    app = {"id": handler.mastodon.new_id(), "name": one(fields, "client_name"),
           "website": one(fields, "website"), "redirect_uris": uris,
           "scopes": (one(fields, "scopes") or "read").split(),
           "client_id": secrets.token_urlsafe(24), "client_secret": secrets.token_urlsafe(24)}
    with handler.mastodon.lock:
        handler.mastodon.apps[app["client_id"]] = app
    return handler.send_json(200, {**app, "redirect_uri": "\n".join(uris),
                                   "client_secret_expires_at": 0})


def authorize(handler, query):
    """The sign-in page: here it allows (or denies) at once and redirects back."""
    app = handler.mastodon.apps.get(one(query, "client_id"))
    redirect_uri = one(query, "redirect_uri")
    scopes = (one(query, "scope") or "read").split()
    if app is None or one(query, "response_type") != "code":
        return handler.error(400, "invalid_client")
    if redirect_uri not in app["redirect_uris"] or not set(scopes) <= set(app["scopes"]):
        return handler.error(400, "invalid_request")
    back = {"state": one(query, "state")} if one(query, "state") else {}
    if handler.mastodon.deny_next:
        handler.mastodon.deny_next = False
        back.update(error="access_denied", error_description="The resource owner or "
                    "authorization server denied the request.")
    else:
        code = secrets.token_urlsafe(24)
        account = handler.mastodon.account(handler.mastodon.login_as)
        with handler.mastodon.lock:
            handler.mastodon.codes[code] = {"client_id": app["client_id"],
                                            "redirect_uri": redirect_uri,
                                            "scopes": scopes, "account": account}
        back["code"] = code
    return handler.redirect(f"{redirect_uri}?{urlencode(back)}")


def token(handler, fields):
    app = handler.mastodon.apps.get(one(fields, "client_id"))
    if app is None or app["client_secret"] != one(fields, "client_secret"):
        return handler.error(401, "invalid_client", error_description=(
            "Client authentication failed due to unknown client, no client authentication "
            "included, or unsupported authentication method."))
    with handler.mastodon.lock:
        grant = handler.mastodon.codes.pop(one(fields, "code"), None)
    if one(fields, "grant_type") != "authorization_code" or grant is None \
            or grant["client_id"] != app["client_id"] \
            or grant["redirect_uri"] != one(fields, "redirect_uri"):
        return handler.error(400, "invalid_grant", error_description=(
            "The provided authorization grant is invalid, expired, revoked, does not match "
            "the redirection URI used in the authorization request, or was issued to "
            "another client."))
    value = secrets.token_urlsafe(32)
    with handler.mastodon.lock:
        handler.mastodon.tokens[value] = {"account": grant["account"],
                                          "scopes": grant["scopes"], "revoked": False}
    return handler.send_json(200, {"access_token": value, "token_type": "Bearer",
                                   "scope": " ".join(grant["scopes"]),
                                   "created_at": int(time.time())})


# --- accounts and media --------------------------------------------------------------------
def account_statuses(handler, account_id, query):
    grant = handler.grant("read:statuses")
    if grant is None:
        return None
    limit = min(int(one(query, "limit", "20")), 40)
    rows = [s for s in reversed(handler.mastodon.posted())
            if s["account"]["id"] == account_id]
    return handler.send_json(200, [public_status(s) for s in rows[:limit]])


def upload_media(handler, fields):
    grant = handler.grant("write:media")
    if grant is None:
        return None
    upload = one(fields, "file")
    if not isinstance(upload, dict) or not upload["type"].startswith("image/") \
            or not upload["data"]:
        return handler.error(422, "Validation failed: File content type is invalid, "
                                  "File is invalid")
    description = one(fields, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        return handler.error(422, "Validation failed: Description is too long (maximum is "
                                  f"{MAX_DESCRIPTION} characters)")
    media = {"id": handler.mastodon.new_id(), "type": "image", "url": None,
             "preview_url": f"{handler.mastodon.url}/media/small.jpg",
             "description": description, "account_id": grant["account"]["id"],
             "polls_left": handler.mastodon.processing_polls, "bytes": len(upload["data"]),
             "status_id": None}
    with handler.mastodon.lock:
        handler.mastodon.media[media["id"]] = media
    return handler.send_json(202, public_media(media))


def public_status(status):
    """A status as the API shows it (its source text is kept here for the tests only)."""
    return {k: v for k, v in status.items() if k != "text"}


def public_media(media):
    return {k: v for k, v in media.items()
            if k in ("id", "type", "url", "preview_url", "description")}


def owned_media(handler, media_id, grant):
    media = handler.mastodon.media.get(media_id)
    return media if media and media["account_id"] == grant["account"]["id"] else None


def get_media(handler, media_id):
    grant = handler.grant("write:media")
    if grant is None:
        return None
    media = owned_media(handler, media_id, grant)
    if media is None:
        return handler.error(404, "Record not found")
    with handler.mastodon.lock:
        if media["polls_left"] > 0:
            media["polls_left"] -= 1
            return handler.send_json(206, public_media(media))
        media["url"] = f"{handler.mastodon.url}/media/{media_id}.jpg"
    return handler.send_json(200, public_media(media))


def update_media(handler, media_id, fields):
    grant = handler.grant("write:media")
    if grant is None:
        return None
    media = owned_media(handler, media_id, grant)
    if media is None:
        return handler.error(404, "Record not found")
    description = one(fields, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        return handler.error(422, "Validation failed: Description is too long")
    media["description"] = description
    return handler.send_json(200, public_media(media))


# --- statuses ------------------------------------------------------------------------------
def check_status(handler, fields, grant):
    """The refusal (status, message) of a new status, or None when Mastodon takes it."""
    text = one(fields, "status") or ""
    media_ids = fields.get("media_ids[]") or fields.get("media_ids") or []
    if not text.strip() and not media_ids:
        return 422, "Validation failed: Text can't be blank"
    if status_length(text) > handler.mastodon.limit:
        return 422, ("Validation failed: Text character limit of "
                     f"{handler.mastodon.limit} exceeded")
    if len(media_ids) > MAX_MEDIA:
        return 422, f"Cannot attach more than {MAX_MEDIA} files"
    for media_id in media_ids:
        media = owned_media(handler, str(media_id), grant)
        if media is None or media["status_id"] is not None:
            return 422, "Validation failed: Media attachments are invalid"
        if media["url"] is None:
            return 422, ("Cannot attach files that have not finished processing. Try again "
                         "in a moment!")
    reply_to = one(fields, "in_reply_to_id")
    if reply_to and reply_to not in handler.mastodon.statuses:
        return 404, "Record not found"
    if (one(fields, "visibility") or "public") not in VISIBILITIES:
        return 422, "Validation failed: Visibility is not included in the list"
    return None


def post_status(handler, fields, after):
    grant = handler.grant("write:statuses")
    if grant is None:
        return None
    account = grant["account"]
    key = handler.headers.get("Idempotency-Key")
    with handler.mastodon.lock:
        known = handler.mastodon.idempotency.get((account["id"], key)) if key else None
    if known is not None:
        return handler.finish_with(after, 200, handler.mastodon.statuses[known])
    refusal = check_status(handler, fields, grant)
    if refusal is not None:
        return handler.error(*refusal)
    time.sleep(handler.mastodon.delay / 2)
    status_id = handler.mastodon.new_id()
    text = one(fields, "status") or ""
    media_ids = [str(m) for m in fields.get("media_ids[]") or fields.get("media_ids") or []]
    status = {
        "id": status_id, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "in_reply_to_id": one(fields, "in_reply_to_id"), "account": account,
        "sensitive": one(fields, "sensitive") in ("true", "1", True),
        "spoiler_text": one(fields, "spoiler_text") or "",
        "visibility": one(fields, "visibility") or "public",
        "language": one(fields, "language"), "content": render(text),
        "url": f"{account['url']}/{status_id}",
        "media_attachments": [public_media(handler.mastodon.media[m]) for m in media_ids],
        "text": text,
    }
    with handler.mastodon.lock:
        for media_id in media_ids:
            handler.mastodon.media[media_id]["status_id"] = status_id
        handler.mastodon.statuses[status_id] = status
        handler.mastodon.creates.append((account["id"], key))
        if key:
            handler.mastodon.idempotency[(account["id"], key)] = status_id
    time.sleep(handler.mastodon.delay / 2)
    return handler.finish_with(after, 200, status)
