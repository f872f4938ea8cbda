"""The Facebook Page channel (Graph API, Pages API: developers.facebook.com/docs/pages-api).

A text goes out as one Page post, as the Page, with a Page access token:
`POST /{page-id}/feed` with `message` and `link` (the first link of the text), or, when the
text carries images, `POST /{page-id}/photos` with the first image uploaded as `source`
(rendition "large") and the text as its `caption`. Facebook has no threads: a text over
63,206 characters is refused with its count when it is queued.

Exactly once: the Graph API takes no idempotency key, so before posting the attempt's start
time and the exact message are stored on the row, and `lookup` reads the Page's recent posts
(`GET /{page-id}/feed?fields=id,message,created_time,permalink_url&since=…`) for a post with
exactly that message created since the first attempt began (graph.find_marked)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...errors import ValidationError
from .. import social
from ..base import PermanentError, SendResult, progress, remember
from . import graph
from .common import MetaAdapter, id_field, token_field, version_field

PLATFORM = "Facebook"
FEED_FIELDS = "id,message,created_time,permalink_url"


def page_id(channel):
    return (channel.settings or {}).get("page_id", "")


class FacebookPageAdapter(MetaAdapter):
    type = "facebook"
    label = _l("Facebook Page")
    platform = PLATFORM
    fields = (
        id_field("page_id", _l("Page ID"),
                 _l("The number in the Page's About section (Page transparency), or in "
                    "/me/accounts of the Graph API Explorer.")),
        token_field(_l("Page access token"),
                    _l("A Page access token with pages_manage_posts and "
                       "pages_read_engagement.")),
        version_field(),
    )
    instructions = _l("Posts go to the Page through Meta's Graph API. In Meta's Graph API "
                      "Explorer (or Business Manager, for a token that does not expire), get "
                      "a Page access token for the Page and paste it here with the Page's "
                      "ID. It is stored encrypted and never shown again.")

    def format(self, doc, revision, channel):
        return social.payload(doc, revision, "facebook", threads=False, rendition="large",
                              max_images=1)

    def address(self, channel):
        return (channel.settings or {}).get("account") or f"facebook.com/{page_id(channel)}"

    def message(self, publication):
        return publication.payload["parts"][0]

    def send(self, channel, publication):
        api = graph.Graph(channel, PLATFORM)
        message = self.message(publication)
        graph.mark(publication, "post")
        remember(publication, message=message)
        images = publication.payload.get("images") or []
        if images:
            answer = api.post(f"{page_id(channel)}/photos",
                              data={"caption": message, "published": "true"},
                              files={"source": ("image.jpg", _bytes(images[0]),
                                                "image/jpeg")})
            post_id = answer.get("post_id") or answer.get("id")
        else:
            data = {"message": message}
            if publication.payload.get("link"):
                data["link"] = publication.payload["link"]
            post_id = api.post(f"{page_id(channel)}/feed", data=data).get("id")
        if not post_id:
            raise PermanentError(_("Facebook's answer named no post."))
        remember(publication, post_id=str(post_id))
        return SendResult(str(post_id), api.permalink(str(post_id), "permalink_url")
                          or f"https://www.facebook.com/{post_id}")

    def lookup(self, channel, publication):
        """The post an earlier attempt made, found by its exact message (see the module)."""
        since = graph.started(publication, "post")
        if since is None:
            return None  # no attempt got as far as posting
        api = graph.Graph(channel, PLATFORM)
        message = progress(publication, "message") or self.message(publication)
        found = graph.find_marked(api, f"{page_id(channel)}/feed", "message", message, since,
                                  FEED_FIELDS)
        if found is None:
            return None
        return SendResult(str(found["id"]), found.get("permalink_url")
                          or f"https://www.facebook.com/{found['id']}")

    def test_connection(self, channel):
        """The Page's name (GET /{page-id}?fields=name)."""
        api = graph.Graph(channel, PLATFORM)
        return str(api.get(page_id(channel), fields="name").get("name") or "?")


def _bytes(image):
    try:
        return social.image_bytes(image)
    except ValidationError as exc:
        raise PermanentError(exc.message) from None
