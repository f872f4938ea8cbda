"""Pillow work on bytes, with no database: checking an upload, and making renditions.

An upload is judged by its content (Pillow's detected format), never by its name, and is
decoded completely once so that truncated or damaged files are refused before anything is
stored. Renditions are re-encoded JPEGs that carry no EXIF (so no GPS position), with the
camera's orientation applied."""
import io
import math
import re
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import ValidationError

# Pillow's format name -> the content type we record.
FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png",
           "WEBP": "image/webp", "GIF": "image/gif"}
SIGNATURES = {"JPEG": (b"\xff\xd8\xff",), "MPO": (b"\xff\xd8\xff",),
              "PNG": (b"\x89PNG\r\n\x1a\n",), "GIF": (b"GIF87a", b"GIF89a"), "WEBP": (b"RIFF",)}
# Markup or script inside an image file makes it a polyglot a browser might run when it
# sniffs the type; no photo or drawing needs these bytes.
# Markup hidden in an image (a polyglot). A tag counts only with the character that ends
# its name: a bare "<svg" turns up by chance in about one 100 KB photo in five thousand.
POLYGLOT_RE = re.compile(rb"<(?:script|html|svg|iframe|body)[\s/>]|<\?php|<!doctype|javascript:")
ORIENTATION = 0x0112
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Size:
    """A rendition's shape: cover crops to exactly width x height; fit keeps the aspect
    within a box (height None: only the width is bounded)."""

    width: int
    height: int | None
    crop: bool


SIZES = {
    "card": Size(1200, 630, True),
    "square": Size(1080, 1080, True),
    "portrait": Size(1080, 1350, True),
    "thumb": Size(320, None, False),
    "large": Size(2048, 2048, False),
}


@dataclass(frozen=True)
class Checked:
    """What an accepted upload is: its format and its size as shown."""

    format: str
    content_type: str
    width: int
    height: int


def refuse(message):
    """An upload we do not store, with the reason in plain words."""
    raise ValidationError(message, field="file")


def check(data, max_bytes, max_pixels):
    """Accept JPEG, PNG, WebP and GIF (its first frame) by content; refuse everything else
    with a clear message. Decodes the whole image once (truncation shows only then)."""
    if not data:
        refuse(_("The file is empty."))
    if len(data) > max_bytes:
        refuse(_("The image is too large: at most %(mb)d MB.", mb=max_bytes // 1_000_000))
    if POLYGLOT_RE.search(data.lower()):
        refuse(_("The file contains markup or script as well as an image; it is refused."))
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; we refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=("JPEG", "PNG", "WEBP", "GIF"))
            return _inspect(image, data, max_pixels)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _too_many_pixels(max_pixels)
        except UnidentifiedImageError:
            refuse(_("This is not an image we accept: upload a JPEG, PNG, WebP or GIF."))
        except (OSError, SyntaxError, ValueError, EOFError):
            refuse(_("The image is damaged or incomplete (truncated); nothing was stored."))


def _too_many_pixels(max_pixels):
    refuse(_("The image has too many pixels: at most %(mp)d megapixels.",
             mp=max_pixels // 1_000_000))


def _inspect(image, data, max_pixels):
    if image.format not in FORMATS or not data.startswith(SIGNATURES[image.format]):
        refuse(_("This is not an image we accept: upload a JPEG, PNG, WebP or GIF."))
    if image.width * image.height > max_pixels:
        _too_many_pixels(max_pixels)
    width, height = image.size
    if image.format in ("JPEG", "MPO"):
        # Decoding at 1/8 scale still reads every byte of the scan, so a cut file fails.
        image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
    image.load()
    if _rotated(image):
        width, height = height, width
    return Checked(image.format, FORMATS[image.format], width, height)


def _rotated(image):
    """Whether the EXIF orientation turns the image a quarter (width and height swap)."""
    try:
        return image.getexif().get(ORIENTATION) in (5, 6, 7, 8)
    except Exception:  # a damaged EXIF block: the orientation is simply not applied
        return False


def _factor(size, width, height):
    """How much a rendition scales an image of width x height (oriented)."""
    if size.crop:
        return max(size.width / width, size.height / height)
    bound = size.width / width
    if size.height:
        bound = min(bound, size.height / height)
    return min(bound, 1.0)


def decode(data, names=tuple(SIZES)):
    """The image as RGB with its orientation applied, decoded (for JPEG, in draft mode) no
    larger than the largest of the named renditions needs."""
    image = Image.open(io.BytesIO(data))
    width, height = image.size
    rotated = _rotated(image)
    shown = (height, width) if rotated else (width, height)
    needed = max(_factor(SIZES[name], *shown) for name in names)
    if image.format in ("JPEG", "MPO") and needed < 1:
        image.draft("RGB", (math.ceil(width * needed), math.ceil(height * needed)))
    image = ImageOps.exif_transpose(image)
    return _rgb(image)


def _rgb(image):
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        # Transparent parts become white, as on a page.
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def resize(image, size):
    """One rendition of a decoded image (cover crops centred; fits never enlarge)."""
    if size.crop:
        return image.resize((size.width, size.height), Image.Resampling.LANCZOS,
                            box=_centre_box(image.size, size), reducing_gap=3.0)
    factor = _factor(size, *image.size)
    if factor >= 1:
        return image.copy()
    target = (max(round(image.width * factor), 1), max(round(image.height * factor), 1))
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _centre_box(source, size):
    """The largest centred part of the source with the rendition's aspect ratio."""
    width, height = source
    aspect = size.width / size.height
    if width / height > aspect:
        crop = height * aspect
        return ((width - crop) / 2, 0, (width + crop) / 2, height)
    crop = width / aspect
    return (0, (height - crop) / 2, width, (height + crop) / 2)


def encode(image):
    """JPEG bytes with no metadata at all (Pillow writes EXIF only when given one)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def render(data, names=tuple(SIZES)):
    """{name: (jpeg bytes, width, height)} for the named renditions, decoding once. Smaller
    renditions are made from the large one when it holds enough pixels for them."""
    image = decode(data, names)
    made = {}
    large = resize(image, SIZES["large"]) if "large" in names else None
    for name in names:
        size = SIZES[name]
        if name == "large":
            result = large
        else:
            source = large if large is not None and _enough(large, image, size) else image
            result = resize(source, size)
        made[name] = (encode(result), result.width, result.height)
    return made


def _enough(large, full, size):
    """Whether the large rendition has as many pixels as this rendition needs."""
    return large.size == full.size or _factor(size, *large.size) <= 1.0
