"""The Bluesky channel: posts on an account of any AT Protocol PDS (bsky.social by
default), signed in with the handle and an app password.

Endpoints and fields followed (lexicons in bluesky-social/atproto, docs.bsky.app "Posts"
and "Links, mentions, and rich text"): com.atproto.server.createSession / refreshSession
(xrpc.py), com.atproto.identity.resolveHandle (mentions), com.atproto.repo.uploadBlob
(images and link-card thumbnails, at most 1,000,000 bytes), com.atproto.repo.createRecord
(repo, collection app.bsky.feed.post, rkey, validate, record) and com.atproto.repo.getRecord
(RecordNotFound when absent). A post is text (at most 300 graphemes and 3000 bytes) with
facets counted in UTF-8 bytes (richtext.py), an embed (app.bsky.embed.images with alt text
and aspectRatio, or app.bsky.embed.external for the link card), and in a thread the reply
references {root, parent} as strong refs {uri, cid}.

Exactly once: each part's record key is chosen before sending and stored on the row
(records.py), so after a timeout, a lost answer or a worker that died, `lookup` asks
getRecord for those keys and `send` continues from the first part that is not there."""
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...errors import ValidationError
from .. import http, social
from ..base import Adapter, Field, PermanentError, SendResult, progress, remember
from ..website import WebsiteAdapter
from . import records, richtext, xrpc
from .xrpc import DEFAULT_PDS, Session


def _created_at():
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def link_card(doc, revision, payload):
    """The link card of the post's link: the text's title, lead and card image for its page
    in the newsroom; the address itself for any other link. None without a link."""
    link = payload.get("link")
    if not link:
        return None
    part = next((i for i, text in enumerate(payload["parts"]) if link in text), 0)
    if doc.kind in WebsiteAdapter.kinds and link == social.newsroom_link(doc, revision):
        from ... import media  # media reaches workflow, which queues through channels

        card = media.card_for(doc, revision.content["title"])
        return {"uri": link, "title": revision.content["title"],
                "description": (revision.content.get("lead") or "").strip(), "part": part,
                "thumb": {"media_id": card.id, "rendition": "card"}}
    return {"uri": link, "title": link, "description": "", "part": part, "thumb": None}


class BlueskyAdapter(Adapter):
    type = "bluesky"
    label = _l("Bluesky")
    kinds = social.KINDS
    supports_images = True
    can_look_up = True
    fields = (
        Field("pds_url", _l("Server (PDS)"), "url", default=DEFAULT_PDS,
              help=_l("https://bsky.social for an account on Bluesky's own servers; otherwise "
                      "the address of the account's PDS.")),
        Field("handle", _l("Handle"), max_length=253, placeholder="partiet.bsky.social"),
        Field("app_password", _l("App password"), "secret", max_length=200,
              help=_l("In Bluesky, open Settings → Privacy and security → App passwords, add "
                      "one for commsdesk and paste it here (never the account's password).")),
    )
    instructions = _l("Posts go to the account through the AT Protocol. Use an app password "
                      "(Settings → Privacy and security → App passwords); it is stored "
                      "encrypted and never shown again.")
    summary = _l("Posts with links, mentions, hashtags, link cards and images with alt text; "
                 "long texts as threads.")

    def check_settings(self, settings, secrets):
        handle = (settings.get("handle") or "").strip().lstrip("@").lower()
        if not richtext.is_handle(handle) and not handle.startswith("did:"):
            raise ValidationError(_("Give the account's handle, like partiet.bsky.social."),
                                  field="handle")
        return {**settings, "handle": handle}

    def address(self, channel):
        settings = channel.settings or {}
        where = xrpc.pds_url(channel)
        suffix = "" if where == DEFAULT_PDS else f" ({where})"
        return f"@{settings.get('handle', '')}{suffix}"

    def test_connection(self, channel):
        """Sign in with the app password (createSession); the account's handle."""
        return "@" + Session(channel).create().handle

    def format(self, doc, revision, channel):
        payload = social.payload(doc, revision, "bluesky", rendition="large", max_images=4)
        payload["posts"] = [{"text": text, "facets": richtext.facets(text)}
                            for text in payload["parts"]]
        payload["card"] = link_card(doc, revision, payload)
        return payload

    def send(self, channel, publication):
        keys = self._record_keys(publication)
        session = Session(channel).ensure()
        parts = publication.payload["posts"]
        posts = list(progress(publication, "posts") or [None] * len(parts))
        dids = {}
        for index in range(len(parts)):
            if posts[index]:
                continue
            record = self._record(session, publication, index, posts, dids)
            posts[index] = self._create(session, keys[index], record)
            remember(publication, posts=posts)
        return self._result(session, keys, posts)

    def lookup(self, channel, publication):
        keys = progress(publication, "rkeys")
        if not keys:
            return None  # no attempt got as far as choosing its keys: nothing went out
        session = Session(channel).ensure()
        posts = list(progress(publication, "posts") or [None] * len(keys))
        found = False
        for index, key in enumerate(keys):
            if posts[index]:
                continue
            post = self._get(session, key)
            if post is None:
                break
            posts[index], found = post, True
        if found:
            remember(publication, posts=posts)
        return self._result(session, keys, posts) if all(posts) else None

    def _record_keys(self, publication):
        """The parts' record keys: chosen at the first attempt and committed before any
        request, read back on every later one."""
        keys = progress(publication, "rkeys")
        if not keys:
            keys = records.record_keys(len(publication.payload["posts"]),
                                       publication.idempotency_key)
            remember(publication, rkeys=keys, created_at=_created_at())
        return keys

    def _record(self, session, publication, index, posts, dids):
        payload = publication.payload
        part = payload["posts"][index]

        def resolve(handle):
            if handle not in dids:
                dids[handle] = xrpc.resolve_handle(session.channel, handle)
            return dids[handle]

        record = {"$type": records.COLLECTION, "text": part["text"],
                  "createdAt": progress(publication, "created_at") or _created_at()}
        facets = richtext.resolved(part["facets"], resolve)
        if facets:
            record["facets"] = facets
        if index:
            record["reply"] = records.reply_ref(posts, index)
        embed = self._embed(session, payload, index)
        if embed:
            record["embed"] = embed
        return record

    def _embed(self, session, payload, index):
        """Images on the first post; the link card on the post with the link unless that
        post carries the images (a post has one embed)."""
        if index == 0 and payload.get("images"):
            return {"$type": "app.bsky.embed.images",
                    "images": [self._image(session, image) for image in payload["images"]]}
        card = payload.get("card")
        if not card or card["part"] != index:
            return None
        external = {"uri": card["uri"], "title": card["title"],
                    "description": card["description"]}
        if card.get("thumb"):
            external["thumb"], _size = self._upload(session, card["thumb"])
        return {"$type": "app.bsky.embed.external", "external": external}

    def _image(self, session, image):
        blob, (width, height) = self._upload(session, image)
        return {"image": blob, "alt": image.get("alt") or "",
                "aspectRatio": {"width": width, "height": height}}

    def _upload(self, session, image):
        """Upload an image's rendition (again on each attempt: a PDS deletes blobs no record
        refers to after a while); the blob reference and the image's size."""
        data, size = records.image_data(image)
        response = session.call("POST", "com.atproto.repo.uploadBlob", data=data,
                                headers={"Content-Type": "image/jpeg"})
        if response.status_code != 200:
            raise xrpc.refusal(response)
        body = http.json_or_none(response)
        if not isinstance(body, dict) or not isinstance(body.get("blob"), dict):
            raise PermanentError(_("Bluesky answered the image upload with something that "
                                   "is not a blob."))
        return body["blob"], size

    def _create(self, session, rkey, record):
        response = session.call("POST", "com.atproto.repo.createRecord", json={
            "repo": session.did, "collection": records.COLLECTION, "rkey": rkey,
            "validate": True, "record": record})
        if response.status_code != 200:
            raise xrpc.refusal(response)
        return _post(http.json_or_none(response))

    def _get(self, session, rkey):
        response = session.call("GET", "com.atproto.repo.getRecord", params={
            "repo": session.did, "collection": records.COLLECTION, "rkey": rkey})
        if response.status_code == 400 and xrpc.error_of(response)[0] == "RecordNotFound":
            return None
        if response.status_code != 200:
            raise xrpc.refusal(response)
        return _post(http.json_or_none(response))

    def _result(self, session, keys, posts):
        return SendResult(external_id=posts[0]["uri"],
                          url=records.post_url(session.handle, keys[0]))


def _post(body):
    if not isinstance(body, dict) or not body.get("uri") or not body.get("cid"):
        raise PermanentError(_("Bluesky answered with something that is not a post."))
    return {"uri": body["uri"], "cid": body["cid"]}
