"""The Instagram channel (Instagram Graph API with Facebook Login, content publishing:
developers.facebook.com/docs/instagram-platform/content-publishing).

An image post in two steps: `POST /{ig-user-id}/media` with `image_url` (a JPEG Instagram
fetches from us: a signed link to the first image's "square" or "portrait" rendition that
expires after a few hours), `caption` (at most 2,200 characters) and `alt_text` makes a
container; `GET /{container-id}?fields=status_code` is polled until FINISHED; `POST
/{ig-user-id}/media_publish` with `creation_id` publishes it. Instagram requires an image: a
text without one is refused when it is queued, saying so.

Each step is remembered on the row as it finishes (base.remember): a worker that dies after
the container was made publishes that same container when the row is taken up again, and a
container whose status is already PUBLISHED is never published again. The publish request
itself has no idempotency key, so its start time is stored before it is sent and `lookup`
reads the account's media (`GET /{ig-user-id}/media?fields=id,caption,timestamp,permalink`)
for one with exactly our caption, created since then (graph.find_marked)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...errors import ValidationError
from .. import social
from ..base import PermanentError, RetryableError, SendResult, UnknownOutcome, progress, remember
from . import graph
from .common import MetaAdapter, id_field, image_url, token_field, version_field

PLATFORM = "Instagram"
MEDIA_FIELDS = "id,caption,timestamp,permalink"


def ig_user_id(channel):
    return (channel.settings or {}).get("ig_user_id", "")


def rendition_for(image):
    """Instagram shows 4:5 to 1.91:1: a landscape image as a square, else 4:5 portrait."""
    width, height = image.get("width") or 0, image.get("height") or 0
    return "square" if width >= height else "portrait"


class InstagramAdapter(MetaAdapter):
    type = "instagram"
    label = _l("Instagram")
    platform = PLATFORM
    fields = (
        id_field("ig_user_id", _l("Instagram account ID"),
                 _l("The Instagram professional account's ID (GET /{page-id}?fields="
                    "instagram_business_account in the Graph API Explorer).")),
        token_field(_l("Access token"),
                    _l("A token with instagram_basic and instagram_content_publish.")),
        version_field(),
    )
    instructions = _l("Image posts go to an Instagram professional account (linked to a "
                      "Facebook Page) through Meta's Graph API. Instagram fetches each image "
                      "from this installation, so its address (COMMSDESK_BASE_URL) must be "
                      "reachable from the internet. The token is stored encrypted and never "
                      "shown again.")

    def format(self, doc, revision, channel):
        """The caption and the first image; a text without an image is refused."""
        found = social.payload(doc, revision, "instagram", threads=False, max_images=1)
        if not found["images"]:
            raise ValidationError(
                _("Instagram posts need an image: attach one to the text, or leave the "
                  "channel %(channel)s out.", channel=channel.name), field="images")
        image = found["images"][0]
        image["rendition"] = rendition_for(image)
        return found

    def address(self, channel):
        return (channel.settings or {}).get("account") or \
            f"Instagram {ig_user_id(channel)}"

    def caption(self, publication):
        return publication.payload["parts"][0]

    def send(self, channel, publication):
        api = graph.Graph(channel, PLATFORM)
        container = progress(publication, "container_id") or self._container(api, publication)
        try:
            status = api.wait_until_finished(container)
        except graph.ContainerFailed as exc:
            if exc.status != "EXPIRED":
                raise
            remember(publication, container_id=None)  # unpublished after 24 h: make anew
            raise RetryableError(exc.message, retry_after=1) from None
        if status == "PUBLISHED":  # an earlier attempt published it; its answer was lost
            found = self.lookup(channel, publication)
            if found is None:
                raise UnknownOutcome(_("Instagram says the post was published, but it is "
                                       "not among the account's posts yet."))
            return found
        graph.mark(publication, "publish")
        media_id = api.post(f"{ig_user_id(channel)}/media_publish",
                            data={"creation_id": container}).get("id")
        if not media_id:
            raise PermanentError(_("Instagram's answer named no post."))
        remember(publication, media_id=str(media_id))
        return SendResult(str(media_id), api.permalink(str(media_id)))

    def _container(self, api, publication):
        image = publication.payload["images"][0]
        data = {"image_url": image_url(image), "caption": self.caption(publication)}
        if image.get("alt"):
            data["alt_text"] = image["alt"]
        container = api.post(f"{ig_user_id(api.channel)}/media", data=data).get("id")
        if not container:
            raise PermanentError(_("Instagram's answer named no container."))
        remember(publication, container_id=str(container))
        return str(container)

    def lookup(self, channel, publication):
        """The post an earlier attempt published, by its exact caption (see the module)."""
        api = graph.Graph(channel, PLATFORM)
        if progress(publication, "media_id"):
            media_id = progress(publication, "media_id")
            return SendResult(media_id, api.permalink(media_id))
        since = graph.started(publication, "publish")
        if since is None:
            return None  # never asked to publish: send resumes from the container
        found = graph.find_marked(api, f"{ig_user_id(channel)}/media", "caption",
                                  self.caption(publication), since, MEDIA_FIELDS)
        if found is None:
            return None
        remember(publication, media_id=str(found["id"]))
        return SendResult(str(found["id"]), found.get("permalink"))

    def test_connection(self, channel):
        """The account's user name (GET /{ig-user-id}?fields=username)."""
        api = graph.Graph(channel, PLATFORM)
        return str(api.get(ig_user_id(channel), fields="username").get("username") or "?")
