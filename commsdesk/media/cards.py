"""The social-card generator: a text's title drawn over the party's colours, with its logo
and name, as the 1200x630 link image of the text. Drawn when the text is queued for the
newsroom and kept as a 'card' image of the document (not in the library)."""
import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps
from sqlalchemy import select

from ..extensions import db
from ..models import DocumentMedia, Media, OrganisationSetting, Rendition, utcnow
from . import images
from .library import logo_ids

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
MAX_LINES = 4
DEFAULTS = {"brand.primary": "#1f4e79", "brand.accent": "#f2c14e"}
# Bold, then regular, fonts with the Nordic letters; Debian's fonts-dejavu-core comes first.
FONTS = {
    True: ("dejavu/DejaVuSans-Bold.ttf", "liberation/LiberationSans-Bold.ttf",
           "noto/NotoSans-Bold.ttf"),
    False: ("dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Regular.ttf",
            "noto/NotoSans-Regular.ttf"),
}
FONT_ROOTS = ("/usr/share/fonts/truetype", "/usr/share/fonts")
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@lru_cache(maxsize=16)
def font(size, bold=True):
    """DejaVu Sans (or Liberation or Noto Sans) where the system has it. Pillow's own
    FreeType font (Pillow >= 10.1) is the last resort: it has no å, ä or ö."""
    for root in FONT_ROOTS:
        for name in FONTS[bold]:
            path = Path(root) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(text, face, width, max_lines=MAX_LINES):
    """Lines of at most `width` pixels; past max_lines the last ends with an ellipsis."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if face.getlength(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    lines = [_fit(line, face, width) for line in lines]
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and face.getlength(last + " …") > width:
        last = last[:-1]
    return [*lines[:max_lines - 1], last.rstrip() + " …"]


def _fit(line, face, width):
    # One word longer than the line (a long compound word): cut it with an ellipsis.
    if face.getlength(line) <= width:
        return line
    while line and face.getlength(line + "…") > width:
        line = line[:-1]
    return line + "…"


def _colour(value, default):
    return ImageColor.getrgb(value if value and HEX.match(value) else default)


def _title_lines(title, width):
    """The largest size at which the title takes at most three lines, else four with an
    ellipsis at the smallest size."""
    for size in (76, 64, 54):
        lines = wrap(title, font(size), width, max_lines=99)
        if len(lines) <= 3:
            return font(size), lines
    return font(54), wrap(title, font(54), width)


def draw(title, organisation_name, primary=None, accent=None, logo=None):
    """The card as JPEG bytes. logo: the logo image's bytes, or None."""
    background = _colour(primary, DEFAULTS["brand.primary"])
    accent_rgb = _colour(accent, DEFAULTS["brand.accent"])
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=accent_rgb)
    pen.rectangle((MARGIN, MARGIN, MARGIN + 96, MARGIN + 10), fill=accent_rgb)
    face, lines = _title_lines(title or "", WIDTH - 2 * MARGIN)
    line_height = int(face.size * 1.18)
    top = MARGIN + 46
    for number, line in enumerate(lines):
        pen.text((MARGIN, top + number * line_height), line, font=face, fill="white")
    footer = HEIGHT - MARGIN - 24
    left = MARGIN
    if logo:
        left = _paste_logo(image, logo, (MARGIN, footer - 34)) or left
    pen.text((left, footer), organisation_name or "", font=font(34), fill=accent_rgb,
             anchor="lm")
    return images.encode(image)


def _paste_logo(image, data, at):
    """Paste the logo, 68 px high, and return where the name starts (None: not drawn)."""
    try:
        logo = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        logo.draft("RGB", (400, 68))
        logo = logo.convert("RGBA")
        logo.thumbnail((240, 68))
    except Exception:  # a logo that cannot be read: the card is drawn without it
        return None
    image.paste(logo, at, logo)
    return at[0] + logo.width + 24


def _setting(organisation_id, name):
    return db.session.execute(
        select(OrganisationSetting.value).where(
            OrganisationSetting.organisation_id == organisation_id,
            OrganisationSetting.name == name)).scalar_one_or_none() or DEFAULTS.get(name, "")


def _logo_bytes(organisation_id):
    for media_id in logo_ids(organisation_id):
        media = db.session.get(Media, media_id)
        if media and media.organisation_id == organisation_id and media.deleted_at is None:
            return media.data
    return None


def card_for(doc, title):
    """The document's card for this title (drawn now, or the same one drawn before):
    its Media row, attached to the document with the role 'card'."""
    org = doc.organisation
    data = draw(title, org.name, _setting(org.id, "brand.primary"),
                _setting(org.id, "brand.accent"), _logo_bytes(org.id))
    digest = hashlib.sha256(data).hexdigest()
    media = db.session.execute(
        select(Media).join(DocumentMedia, DocumentMedia.media_id == Media.id)
        .where(DocumentMedia.document_id == doc.id, DocumentMedia.role == "card",
               Media.sha256 == digest)).scalars().first()
    if media is not None:
        return media
    media = Media(organisation_id=org.id, origin="card", filename=f"card-{doc.id}.jpg",
                  content_type="image/jpeg", width=WIDTH, height=HEIGHT, bytes=len(data),
                  sha256=digest, data=data, alt_text=title or "")
    media.renditions = [Rendition(name="card", state="done", data=data, width=WIDTH,
                                  height=HEIGHT, rendered_at=utcnow())]
    db.session.add(media)
    db.session.flush()
    db.session.add(DocumentMedia(document_id=doc.id, media_id=media.id, role="card",
                                 position=0))
    db.session.flush()
    return media


def card_path(doc, title):
    """The URL path of the document's card image for the website payload."""
    return f"/media/{card_for(doc, title).id}/card.jpg"
