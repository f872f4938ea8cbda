"""The Threads channel (Threads API on graph.threads.net: developers.facebook.com/docs/threads).

Each post is two steps: `POST /{threads-user-id}/threads` with `media_type` TEXT (or IMAGE
with `image_url`, a signed link to the first image that Threads fetches from us, on the
first post), `text` and, after the first, `reply_to_id` of the post before, makes a
container; `GET /{container-id}?fields=status,error_message` is polled until FINISHED;
`POST /{threads-user-id}/threads_publish` with `creation_id` publishes it. A text over 500
characters (an emoji counts as its UTF-8 bytes) becomes a numbered thread of replies.

Every container and every published post is remembered on the row as it finishes, so a
worker that dies mid-thread resumes at the next part. Publishing has no idempotency key: its
start time is stored before each part is published, and `lookup` reads the account's posts
(`GET /{threads-user-id}/threads`, or `/replies` for the later parts, with
`fields=id,text,timestamp,permalink&since=…`) for one with exactly that part's text created
since then (graph.find_marked)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import social
from ..base import PermanentError, RetryableError, SendResult, UnknownOutcome, progress, remember
from . import graph
from .common import MetaAdapter, id_field, image_url, token_field, version_field

PLATFORM = "Threads"
POST_FIELDS = "id,text,timestamp,permalink"


def threads_user_id(channel):
    return (channel.settings or {}).get("threads_user_id", "") or "me"


class ThreadsAdapter(MetaAdapter):
    type = "threads"
    label = _l("Threads")
    platform = PLATFORM
    fields = (
        id_field("threads_user_id", _l("Threads user ID"),
                 _l("The account's ID (GET /me?fields=id on graph.threads.net), or me.")),
        token_field(_l("Access token"),
                    _l("A Threads user access token with threads_basic and "
                       "threads_content_publish.")),
        version_field("v1.0"),
    )
    instructions = _l("Posts go to a Threads account through the Threads API; a long text "
                      "becomes a numbered thread. Threads fetches images from this "
                      "installation, so its address (COMMSDESK_BASE_URL) must be reachable "
                      "from the internet. The token is stored encrypted and never shown "
                      "again.")

    def format(self, doc, revision, channel):
        return social.payload(doc, revision, "threads", rendition="large", max_images=1)

    def address(self, channel):
        return (channel.settings or {}).get("account") or \
            f"Threads {threads_user_id(channel)}"

    def api(self, channel):
        return graph.Graph(channel, PLATFORM, "THREADS_API_URL", "v1.0")

    def send(self, channel, publication):
        api = self.api(channel)
        parts = publication.payload["parts"]
        posted = list(progress(publication, "posted", []))
        for index in range(len(posted), len(parts)):
            posted.append(self._post(api, publication, index, posted))
            remember(publication, posted=posted)
        return SendResult(posted[0], api.permalink(posted[0]))

    def _post(self, api, publication, index, posted):
        """Publish one part (its container made or taken from an earlier attempt)."""
        container = progress(publication, f"container_{index}") or \
            self._container(api, publication, index, posted[-1] if posted else None)
        try:
            status = api.wait_until_finished(container, field="status")
        except graph.ContainerFailed as exc:
            if exc.status != "EXPIRED":
                raise
            remember(publication, **{f"container_{index}": None})
            raise RetryableError(exc.message, retry_after=1) from None
        if status == "PUBLISHED":  # published by an earlier attempt whose answer was lost
            found = self._find(api, publication, index)
            if found is None:
                raise UnknownOutcome(_("Threads says a post was published, but it is not "
                                       "among the account's posts yet."))
            return str(found["id"])
        graph.mark(publication, f"part{index}")
        post_id = api.post(f"{threads_user_id(api.channel)}/threads_publish",
                           data={"creation_id": container}).get("id")
        if not post_id:
            raise PermanentError(_("Threads' answer named no post."))
        return str(post_id)

    def _container(self, api, publication, index, reply_to):
        payload = publication.payload
        data = {"media_type": "TEXT", "text": payload["parts"][index]}
        images = payload.get("images") or []
        if index == 0 and images:
            data.update(media_type="IMAGE", image_url=image_url(images[0]))
            if images[0].get("alt"):
                data["alt_text"] = images[0]["alt"]
        if reply_to:
            data["reply_to_id"] = reply_to
        container = api.post(f"{threads_user_id(api.channel)}/threads", data=data).get("id")
        if not container:
            raise PermanentError(_("Threads' answer named no container."))
        remember(publication, **{f"container_{index}": str(container)})
        return str(container)

    def _find(self, api, publication, index):
        since = graph.started(publication, f"part{index}")
        if since is None:
            return None
        edge = "threads" if index == 0 else "replies"
        return graph.find_marked(api, f"{threads_user_id(api.channel)}/{edge}", "text",
                                 publication.payload["parts"][index], since, POST_FIELDS)

    def lookup(self, channel, publication):
        """After an unknown outcome: records the part an earlier attempt published (found
        by its exact text, see the module); the whole thread's result once every part is
        out, else None (send goes on from the next part)."""
        api = self.api(channel)
        parts = publication.payload["parts"]
        posted = list(progress(publication, "posted", []))
        if len(posted) < len(parts):
            found = self._find(api, publication, len(posted))
            if found is None:
                return None
            posted.append(str(found["id"]))
            remember(publication, posted=posted)
        if len(posted) < len(parts):
            return None
        return SendResult(posted[0], api.permalink(posted[0]))

    def test_connection(self, channel):
        """The account's user name (GET /me?fields=username)."""
        return str(self.api(channel).get("me", fields="username").get("username") or "?")
