"""The records a Bluesky post is made of: record keys chosen before sending, the
app.bsky.feed.post record of each part (text, facets, reply references, embed), and the
images uploaded as blobs within the size the lexicon accepts.

Record keys are TIDs (atproto.com/specs/tid and /specs/record-key): 13 characters of
base32-sortable (234567abcdefghijklmnopqrstuvwxyz), the top bit 0, then 53 bits of
microseconds since the epoch and a 10-bit clock identifier. They are generated from the
clock at the first attempt (so each post's key says when it was made, as Bluesky's own
clients do) and stored on the outbox row before the first request; every later attempt
reads them back, so a retry writes to the same key and the PDS can never hold two posts for
one row (it refuses to create a record at a key that exists)."""
import io
import time

from PIL import Image

from .. import social

COLLECTION = "app.bsky.feed.post"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# app.bsky.embed.external's thumb and (until recently) app.bsky.embed.images' image.
MAX_BLOB_BYTES = 1_000_000


def tid(microseconds, clock_id):
    """The TID of a timestamp (microseconds since the epoch) and a clock id (0-1023)."""
    value = ((microseconds & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    chars = []
    for _position in range(13):
        chars.append(TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def record_keys(count, idempotency_key, now=None):
    """One TID per part, in increasing order; the clock id comes from the row's key, so two
    rows made in the same microsecond still differ."""
    start = int((now if now is not None else time.time()) * 1_000_000)
    clock_id = int(idempotency_key[:8], 16) if idempotency_key else 0
    return [tid(start + index, clock_id) for index in range(count)]


def at_uri(did, rkey):
    return f"at://{did}/{COLLECTION}/{rkey}"


def post_url(handle, rkey):
    """The post's page on bsky.app."""
    return f"https://bsky.app/profile/{handle}/post/{rkey}"


def strong_ref(post):
    return {"uri": post["uri"], "cid": post["cid"]}


def reply_ref(posts, index):
    """The reply references of part `index`: the thread's first post and the one before."""
    if index == 0:
        return None
    return {"root": strong_ref(posts[0]), "parent": strong_ref(posts[index - 1])}


def fit_bytes(data, limit=MAX_BLOB_BYTES):
    """JPEG bytes within `limit` and their size: recompressed, then scaled down, as needed."""
    image = Image.open(io.BytesIO(data))
    size = image.size
    if len(data) <= limit:
        return data, size
    image = image.convert("RGB")
    quality = 85
    while True:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= limit:
            return out.getvalue(), image.size
        if quality > 60:
            quality -= 10
        else:
            image = image.resize((max(1, int(image.width * 0.8)),
                                  max(1, int(image.height * 0.8))), Image.LANCZOS)


def image_data(image):
    """The bytes of a payload image's rendition within the blob limit, and their size."""
    return fit_bytes(social.image_bytes(image))
